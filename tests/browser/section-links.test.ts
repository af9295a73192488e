// "Revisit section X.Y" links in grader feedback land on the section's heading, not the top of the lesson page:
// every section link a built workspace carries names an anchor that exists on the built lesson page, and every
// section a grader or exercise can cite has such a link.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dist, htmlFiles } from './built-site';

const root = fileURLToPath(new URL('../../', import.meta.url));

function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : files(p, keep);
    return keep(name) ? [p] : [];
  });
}

/** The sectionHref map of every workspace embedded in a built page. */
function workspaceSectionLinks(): { page: string; links: Record<string, string> }[] {
  const out: { page: string; links: Record<string, string> }[] = [];
  for (const page of htmlFiles()) {
    const html = readFileSync(page, 'utf8');
    for (const m of html.matchAll(/<script type="application\/json" class="amm-ws__data"[^>]*>([\s\S]*?)<\/script>/g)) {
      out.push({ page: page.slice(dist.length), links: (JSON.parse(m[1]) as { sectionHref: Record<string, string> }).sectionHref });
    }
  }
  return out;
}

const idCache = new Map<string, Set<string> | null>();
/** The ids of the elements of a built page, found through its site path. */
function idsOf(path: string): Set<string> | null {
  if (!idCache.has(path)) {
    const file = join(dist, decodeURIComponent(path), 'index.html');
    idCache.set(path, existsSync(file) ? new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])) : null);
  }
  return idCache.get(path)!;
}

describe('section links in grader feedback', () => {
  const workspaces = workspaceSectionLinks();

  it('every exercise page embeds a workspace with section links', () => {
    const exercisePages = workspaces.filter((w) => /^\/exercises\/\d\d-/.test(w.page));
    expect(exercisePages.length).toBeGreaterThanOrEqual(10);
  });

  it("every link goes to an anchor that exists on the section's lesson page, whose heading starts with the section", () => {
    const bad: string[] = [];
    for (const { page, links } of workspaces) {
      for (const [section, href] of Object.entries(links)) {
        const [path, anchor] = href.split('#');
        const ids = idsOf(path);
        if (!anchor) bad.push(`${page}: section ${section} → ${href} has no anchor`);
        else if (!ids) bad.push(`${page}: section ${section} → ${href}: no such page`);
        else if (!ids.has(anchor)) bad.push(`${page}: section ${section} → ${href}: no element with id "${anchor}"`);
        else if (!anchor.startsWith(section.replace('.', ''))) bad.push(`${page}: section ${section} → #${anchor} is another section`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every section a grader or exercise cites (section: "X.Y") has a link', () => {
    const cited = new Set<string>();
    const sources = [join(root, 'graders'), join(root, 'exercises')].flatMap((d) => files(d, (n) => /\.(ts|json)$/.test(n)));
    for (const f of sources) {
      for (const m of readFileSync(f, 'utf8').matchAll(/"?section"?\s*:\s*['"](\d+\.\d+)['"]/g)) cited.add(m[1]);
    }
    expect(cited.size).toBeGreaterThan(10);
    const links = workspaces[0]?.links ?? {};
    expect([...cited].filter((s) => !links[s]).sort()).toEqual([]);
  });
});
