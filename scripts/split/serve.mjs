// A static file server on a free loopback port, for the split's profile (scripts/split/) and
// the load benchmark (tests/e2e/bench-load.mjs).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/**
 * Serves `dir`; with `gzip`, every file gzipped at level 9 (compressed once), as a static host
 * would. Resolves to the server, with `url` set to its origin.
 */
export function serve(dir, { gzip = false } = {}) {
  const gzipped = new Map();
  const server = http.createServer((request, response) => {
    const file = path.join(dir, decodeURIComponent(new URL(request.url, 'http://x').pathname));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      response.writeHead(404).end();
      return;
    }
    const headers = { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
    if (!gzip) {
      response.writeHead(200, headers);
      fs.createReadStream(file).pipe(response);
      return;
    }
    if (!gzipped.has(file)) gzipped.set(file, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
    response.writeHead(200, { ...headers, 'Content-Encoding': 'gzip' });
    response.end(gzipped.get(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => {
    server.url = `http://127.0.0.1:${server.address().port}`;
    done(server);
  }));
}
