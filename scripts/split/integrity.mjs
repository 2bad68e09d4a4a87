#!/usr/bin/env node
// Puts each staged file's sha384 into index.html's integrity attributes:
//
//   node scripts/split/integrity.mjs <trunk staging dir>
//
// Trunk hashes the files before the post-build hook rewrites them (the split, wasm-opt); a stale
// hash makes a browser that checks it refuse the preloaded file and fetch it again.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const staging = path.resolve(process.argv[2]);
const htmlPath = path.join(staging, 'index.html');
const html = fs.readFileSync(htmlPath, 'utf8').replace(
  /(href="\.\/([^"]+)"[^>]*integrity=")sha384-[^"]*"/g,
  (_, head, file) => `${head}sha384-${crypto.createHash('sha384').update(fs.readFileSync(path.join(staging, file))).digest('base64')}"`,
);
fs.writeFileSync(htmlPath, html);
