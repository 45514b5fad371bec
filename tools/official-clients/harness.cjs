// Step runner shared by workflow_node.cjs and workflow_browser.cjs: labels the proxy's records
// with the step, runs the step, reads back the statuses the step's requests got, and prints one
// line per step. A failing step never stops the others. Node's own http module only, loopback only.
'use strict';

const fs = require('fs');
const http = require('http');

const PROXY = process.env.OC_PROXY;

class StepFailed extends Error {}

function control(name, payload) {
  const url = new URL(`/__proxy/${name}`, PROXY);
  const body = payload === undefined ? null : Buffer.from(JSON.stringify(payload));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: body ? 'POST' : 'GET', agent: false,
      headers: body ? { 'content-type': 'application/json', 'content-length': body.length } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        try { resolve(JSON.parse(Buffer.concat(chunks).toString())); } catch (e) { reject(e); }
      });
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error('proxy control timed out')));
    req.end(body || undefined);
  });
}

/** Remember a value that changes per run, so the fixture shows a placeholder instead. */
function declareVar(name, value, kind) {
  if (!process.env.OC_VARS) return;
  fs.appendFileSync(process.env.OC_VARS, JSON.stringify({ name, value: String(value), kind }) + '\n');
}

function describe(err) {
  if (err instanceof StepFailed) return err.message;
  // The legacy Node SDK rejects with the service's error body (+ $ResponseMetadata), or an Error.
  let text;
  if (err instanceof Error) {
    text = `${err.name}: ${err.message}`;
    if (err instanceof TypeError && err.stack) {
      const at = err.stack.split('\n').find((l) => l.includes('node_modules'));
      if (at) text += ` (${at.trim()})`;
    }
  } else if (err && typeof err === 'object') {
    text = err.message ? `${err.message}` : JSON.stringify(err);
    if (err.$ResponseMetadata) text = `HTTP ${err.$ResponseMetadata.statusCode}: ${text}`;
  } else {
    text = String(err);
  }
  return text.replace(/\s+/g, ' ').slice(0, 300);
}

class Steps {
  constructor(client) {
    this.client = client;
    this.ctx = {};
    this.passed = 0;
    this.failed = 0;
  }

  need(...keys) {
    const missing = keys.filter((k) => !(k in this.ctx));
    if (missing.length) throw new StepFailed(`needs ${missing.join(', ')} from an earlier step`);
    return keys.map((k) => this.ctx[k]);
  }

  /**
   * Run one step. `expect` lists the statuses the real service answers (shared/spec/service-facts.md
   * §1); a different 2xx fails the step even when the SDK let it through. `recover(body)` takes
   * what later steps need from the recorded response when the step failed after all.
   */
  async run(name, fn, { expect = [200], recover } = {}) {
    await control('label', { client: this.client, step: name, expect });
    const since = (await control('health')).seq;
    let error = null;
    try {
      await fn();
    } catch (err) {
      error = describe(err);
    }
    const records = (await control(`records?since=${since}`)).records;
    const statuses = records.map((r) => (r.response || {}).status);
    const wrong = statuses.filter((s) => s != null && s >= 200 && s < 300 && !expect.includes(s));
    if (wrong.length) {
      const facts = `status ${wrong[0]}, the service answers ${expect.join('/')} (service-facts §1)`;
      error = error === null ? facts : `${facts}; the SDK raised ${error}`;
    }
    if (error !== null && recover && records.length) {
      const body = (records[records.length - 1].response || {}).body;
      if (body && typeof body === 'object') {
        try { recover(body); } catch (_) { /* nothing to take */ }
      }
    }
    const shown = statuses.map((s) => (s == null ? 'none' : String(s))).join(',') || '-';
    const head = `${this.client.padEnd(7)} ${name.padEnd(36)}`;
    if (error === null) {
      this.passed += 1;
      console.log(`${head} ok   ${shown}`);
    } else {
      this.failed += 1;
      console.log(`${head} FAIL ${shown}: ${error}`);
    }
  }

  summary() {
    console.log(`${this.client}: ${this.passed} passed, ${this.failed} failed`);
  }
}

function check(cond, what) {
  if (!cond) throw new StepFailed(what);
}

module.exports = { Steps, StepFailed, check, control, declareVar, PROXY };
