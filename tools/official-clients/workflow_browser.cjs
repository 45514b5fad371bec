// The browser SDK `@imagekit/javascript` 5.5.1 uploading from a web page in headless Chromium,
// against the emulator through the recording proxy. Run by run.py (cwd and NODE_PATH: the scratch
// folder).
//
// A loopback HTTP server serves a small page and the SDK's browser build on its own port, so the
// page's origin differs from the proxy's and CORS applies. playwright-core drives the system
// Chromium (/usr/bin/chromium; it downloads no browser). The test harness computes the client-side
// upload auth parameters (token, expire, signature = HMAC-SHA1(private key, token + expire)) the
// way an application's backend would, and hands them to the page.
//
// The SDK opens https://upload.imagekit.io/api/v1/files/upload on an XMLHttpRequest; its `xhr`
// option takes the application's own XMLHttpRequest, and the page passes one whose `open` puts
// the proxy's origin in place of ImageKit's. Everything else is the SDK's and the browser's own.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { Steps, check, declareVar, PROXY } = require('./harness.cjs');

const CLIENT = 'browser';
const IMAGEKIT_ID = process.env.OC_IMAGEKIT_ID || 'emulator';
const CHROMIUM = process.env.OC_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-proxy-server',
];

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>ImageKit browser upload</title>
<script src="/imagekit.min.js"></script>
<script>
// An XMLHttpRequest for the SDK's xhr option: the upload goes to the proxy instead of ImageKit.
function proxiedXhr(base) {
  const xhr = new XMLHttpRequest();
  const open = xhr.open;
  xhr.open = function (method, url, ...rest) {
    return open.call(this, method, String(url).replace('https://upload.imagekit.io', base), ...rest);
  };
  return xhr;
}
function fileFromBase64(b64, name) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new File([bytes], name, { type: 'image/png' });
}
// One upload; resolves with what the page could see of the answer.
async function runUpload(o) {
  const progress = [];
  const options = {
    file: fileFromBase64(o.fileBase64, o.fileName), fileName: o.fileName, folder: o.folder, tags: o.tags,
    useUniqueFileName: false, publicKey: o.publicKey, token: o.token, expire: o.expire, signature: o.signature,
    xhr: proxiedXhr(o.base),
  };
  if (o.withProgress) options.onProgress = (e) => progress.push({ loaded: e.loaded, total: e.total });
  try {
    const res = await ImageKit.upload(options);
    return { ok: true, body: res, status: res.$ResponseMetadata.statusCode, progress };
  } catch (err) {
    const meta = err.$ResponseMetadata || {};
    return { ok: false, name: err.name, message: err.message, status: meta.statusCode, progress };
  }
}
function loadImage(src) {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve({ ok: true, width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => resolve({ ok: false });
    img.src = src;
    document.body.appendChild(img);
  });
}
</script></head><body></body></html>`;

function servePage(sdkFile) {
  const server = http.createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    } else if (req.url === '/imagekit.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(fs.readFileSync(sdkFile));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** What a backend's auth endpoint returns: token, expire (seconds), signature. */
function authParams(n, privateKey, expire) {
  const token = crypto.randomUUID();
  const signature = crypto.createHmac('sha1', privateKey).update(token + expire).digest('hex');
  declareVar(`token_${n}`, token);
  declareVar(`signature_${n}`, signature);
  return { token, expire, signature };
}

async function main() {
  const { chromium } = require('playwright-core');
  const sdkFile = require.resolve('@imagekit/javascript/dist/imagekit.min.js');
  const png = fs.readFileSync(path.join(process.env.OC_ASSETS, 'sample.png'));
  const privateKey = process.env.OC_PRIVATE_KEY;
  const publicKey = process.env.OC_PUBLIC_KEY;
  const expire = Math.floor(Date.now() / 1000) + 600;
  declareVar('expire', expire);

  const server = await servePage(sdkFile);
  const pageUrl = `http://127.0.0.1:${server.address().port}/`;
  declareVar('page_port', server.address().port, 'port');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'official-clients-chromium-'));
  let context;
  const s = new Steps(CLIENT);
  const ctx = s.ctx;
  const consoleLines = [];
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60000,
    });
    const page = context.pages()[0] || (await context.newPage());
    page.on('console', (msg) => consoleLines.push(msg.text()));
    page.setDefaultTimeout(30000);
    // What Chromium said about CORS during the step, for the failure reason.
    const corsSaid = (from) => {
      const said = consoleLines.slice(from).find((l) => /CORS|Access-Control/i.test(l));
      return said ? `; Chromium: ${said}` : '';
    };

    await s.run('page.load', async () => {
      await page.goto(pageUrl);
      const ok = await page.evaluate(() => typeof ImageKit === 'object' && typeof ImageKit.upload === 'function');
      check(ok, 'ImageKit.upload is not on the page');
    });

    const upload = (n, extra) => page.evaluate((o) => runUpload(o), {
      base: PROXY, fileBase64: png.toString('base64'), publicKey, folder: '/browser-sdk/', tags: ['browser-sdk'],
      ...authParams(n, privateKey, expire), ...extra,
    });

    await s.run('upload[onProgress, preflight]', async () => {
      const from = consoleLines.length;
      const res = await upload(1, { fileName: 'progress.png', withProgress: true });
      check(res.ok, `${res.name}: ${res.message} (status ${res.status})${corsSaid(from)}`);
      check(res.body.name === 'progress.png' && res.body.fileId, `unexpected body ${JSON.stringify(res.body)}`);
      check(res.progress.length > 0, 'onProgress was never called');
      const last = res.progress[res.progress.length - 1];
      check(last.loaded === last.total, `last progress ${last.loaded}/${last.total}`);
      ctx.filePath = res.body.filePath;
    }, { expect: [200, 204] });

    await s.run('upload[no onProgress, simple request]', async () => {
      const from = consoleLines.length;
      const res = await upload(2, { fileName: 'simple.png', withProgress: false });
      check(res.ok, `${res.name}: ${res.message} (status ${res.status})${corsSaid(from)}`);
      check(res.body.name === 'simple.png', `unexpected body ${JSON.stringify(res.body)}`);
      ctx.filePath = ctx.filePath || res.body.filePath;
    }, { recover: (body) => { ctx.filePath = ctx.filePath || body.filePath; } });

    await s.run('upload[bad signature, error readable]', async () => {
      const from = consoleLines.length;
      const res = await upload(3, { fileName: 'bad.png', withProgress: false, signature: '0'.repeat(40) });
      // service-facts §3: error responses carry Access-Control-Allow-Origin, so the page reads the message.
      check(!res.ok && res.name === 'ImageKitInvalidRequestError' && res.status >= 400 && res.status < 500,
        `expected ImageKitInvalidRequestError with the service's message, got ${res.name}: ${res.message} ` +
        `(status ${res.status})${corsSaid(from)}`);
    }, { expect: [400, 401, 403] });

    await s.run('delivery[img, transformation]', async () => {
      const [filePath] = s.need('filePath');
      const src = await page.evaluate(({ base, filePath }) => ImageKit.buildSrc({
        urlEndpoint: base, src: filePath, transformation: [{ width: 8 }],
      }), { base: `${PROXY}/${IMAGEKIT_ID}`, filePath });
      check(src.includes('tr=w-8'), `unexpected src ${src}`);
      const res = await page.evaluate((u) => loadImage(u), src);
      check(res.ok && res.width === 8, `image ${JSON.stringify(res)} from ${src}`);
    });
  } catch (err) {
    console.log(`${CLIENT.padEnd(7)} ${'chromium'.padEnd(36)} FAIL -: ${String(err && err.message || err).split('\n')[0]}`);
    s.failed += 1;
  } finally {
    if (context) await context.close().catch(() => {});
    server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  s.summary();
  return s.failed === 0 ? 0 : 1;
}

const exit = (code) => process.stdout.write('', () => process.exit(code));
main().then(exit, (err) => {
  console.error(`browser workflow crashed: ${err && err.stack ? err.stack : err}`);
  exit(2);
});
