// A built site over HTTP/2 with TLS on 127.0.0.1, as GitHub Pages serves it: h2 (HTTP/1.1 for
// a client that does not offer h2), text gzipped at level 6 when the client accepts gzip (Node's
// zlib: within 1 % of the sizes bench.gz counts with Python's), Cache-Control: max-age=600 on every response, a folder's index.html,
// a folder without its slash redirected, 404.html for a missing file.
// Node's own http2 module, so nothing to install: Node is already there to run Lighthouse.
//
//   node h2serve.mjs SITE_DIR KEY.pem CERT.pem
//
// Listens on a free port of 127.0.0.1 and prints "listening PORT" once ready; stops on SIGTERM
// or when its standard input closes (the Python side that started it has gone).
import fs from "node:fs";
import http2 from "node:http2";
import path from "node:path";
import zlib from "node:zlib";

const [root, keyFile, certFile] = process.argv.slice(2).map((p) => path.resolve(p));
const GZIP = new Set([".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"]);  // bench.GZIP_TYPES
const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8", ".svg": "image/svg+xml", ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8", ".map": "application/json; charset=utf-8",
  ".woff2": "font/woff2", ".woff": "font/woff", ".png": "image/png", ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg", ".webp": "image/webp", ".ico": "image/x-icon", ".pdf": "application/pdf",
  ".webmanifest": "application/manifest+json",
};
const gzipped = new Map();   // file -> its gzipped bytes (the files do not change while served)

function fileFor(urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath.split("?")[0].split("#")[0]);
  } catch {
    return { status: 400 };
  }
  const file = path.join(root, rel);
  if (file !== root && !file.startsWith(root + path.sep)) return { status: 404 };
  let stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    if (!rel.endsWith("/")) return { status: 301, location: rel + "/" };
    return fileFor(rel + "index.html");
  }
  return stat?.isFile() ? { status: 200, file } : { status: 404 };
}

function respond(req, res) {
  let { status, file, location } = fileFor(req.url);
  const headers = { "cache-control": "max-age=600" };   // what GitHub Pages sends
  if (status === 301) {
    res.writeHead(301, { ...headers, location });
    return res.end();
  }
  if (status !== 200) {
    const missing = path.join(root, "404.html");
    if (status !== 404 || !fs.existsSync(missing)) {
      res.writeHead(status, headers);
      return res.end();
    }
    file = missing;
  }
  const ext = path.extname(file).toLowerCase();
  headers["content-type"] = TYPES[ext] || "application/octet-stream";
  let body;
  if (GZIP.has(ext) && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
    if (!gzipped.has(file)) gzipped.set(file, zlib.gzipSync(fs.readFileSync(file), { level: 6 }));
    body = gzipped.get(file);
    headers["content-encoding"] = "gzip";
    headers["vary"] = "Accept-Encoding";
  } else {
    body = fs.readFileSync(file);
  }
  headers["content-length"] = body.length;
  res.writeHead(status === 200 ? 200 : 404, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

const server = http2.createSecureServer(
  { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile), allowHTTP1: true },
  (req, res) => {
    try {
      respond(req, res);
    } catch (err) {
      res.writeHead(500);
      res.end(String(err));
    }
  });
server.on("sessionError", () => {});   // a browser closing its connection
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
const stop = () => process.exit(0);   // nothing to finish: every file is only read
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
