// Types of the two Starlight virtual modules that the copied Search component (Search.astro) imports; Starlight
// resolves them at build time but ships no declarations for code outside its package.
declare module 'virtual:starlight/project-context' {
  const project: { trailingSlash: 'always' | 'never' | 'ignore' };
  export default project;
}
declare module 'virtual:starlight/pagefind-config' {
  export const pagefindUserConfig: Record<string, unknown>;
}
