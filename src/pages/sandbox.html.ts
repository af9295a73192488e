// The sandbox page learner code runs behind. The course page embeds it as
// <iframe sandbox="allow-scripts"> (no allow-same-origin), so it gets an opaque origin: no access to the
// site's storage, cookies or DOM. Its CSP allows only its own inline script (by hash) and data: scripts (the
// worker, a module worker from a data: URL, and the learner's file it imports), and forbids every network access
// (connect-src 'none'), which the worker inherits (tested: learner code cannot fetch the site's own URLs).
import type { APIRoute } from 'astro';
import { createHash } from 'node:crypto';
import frameScript from '../sandbox/frame.js?raw';

/** The CSP of the sandbox page. */
export function sandboxCsp(script: string): string {
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `script-src 'sha256-${hash}' data:`,
    'worker-src data:',
    "connect-src 'none'",
    "img-src 'none'",
    "style-src 'none'",
    "font-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "child-src data:",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export const GET: APIRoute = () => {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${sandboxCsp(frameScript)}">
<meta name="robots" content="noindex">
<title>Code sandbox</title></head>
<body><script>${frameScript}</script></body></html>
`;
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
};
