// A real headless Chromium for the browser tests, driven over the DevTools protocol on
// --remote-debugging-pipe (fd 3: commands in, fd 4: replies and events out, each message JSON
// ended by a NUL byte). No port, no WebSocket, no dependency: Node's child_process is enough.
// The flags keep the browser off the network (no background fetches, no component updates, no
// sync, every host name unresolvable) and a fresh profile makes each run start clean.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The browser: CHROMIUM when set (alone, so a wrong one counts as missing), else Debian's chromium. */
export function chromiumPath(): string | null {
  const path = process.env['CHROMIUM'] || '/usr/bin/chromium';
  return existsSync(path) ? path : null;
}

export const OFFLINE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
  '--no-default-browser-check',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--hide-scrollbars',
  '--mute-audio',
];

type Params = Record<string, unknown>;
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CdpEvent {
  method: string;
  params: Json;
  sessionId?: string;
}

export class Chromium {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void; method: string }>();
  private readonly listeners = new Set<(e: CdpEvent) => void>();
  private stderr = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const out = child.stdio[4] as Readable;
    let buf = Buffer.alloc(0);
    out.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (let end = buf.indexOf(0); end >= 0; end = buf.indexOf(0)) {
        this.dispatch(JSON.parse(buf.subarray(0, end).toString('utf8')));
        buf = buf.subarray(end + 1);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited (${code ?? signal}) during ${p.method}\n${this.stderr}`));
      this.pending.clear();
    });
  }

  static async launch(executable: string): Promise<Chromium> {
    const profile = mkdtempSync(join(tmpdir(), 'pbxplan-chromium-'));
    const child = spawn(executable, [...OFFLINE_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
    const browser = new Chromium(child, profile);
    await browser.send('Browser.getVersion');
    return browser;
  }

  private dispatch(msg: Json): void {
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
      return;
    }
    for (const l of this.listeners) l({ method: msg.method, params: msg.params, sessionId: msg.sessionId });
  }

  send(method: string, params: Params = {}, sessionId?: string, timeoutMs = 30_000): Promise<Json> {
    if (this.exited) return Promise.reject(new Error(`chromium has exited\n${this.stderr}`));
    const id = this.nextId++;
    const msg = JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer from chromium within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      (this.child.stdio[3] as Writable).write(`${msg}\0`);
    });
  }

  on(listener: (e: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first event of `method` on `sessionId` (registered before the trigger runs). */
  waitFor(method: string, sessionId: string, trigger: () => Promise<unknown>, timeoutMs = 30_000): Promise<CdpEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (off(), reject(new Error(`no ${method} within ${timeoutMs} ms`))), timeoutMs);
      const off = this.on((e) => {
        if (e.method === method && e.sessionId === sessionId) {
          clearTimeout(timer);
          off();
          resolve(e);
        }
      });
      trigger().catch((err: Error) => (clearTimeout(timer), off(), reject(err)));
    });
  }

  async close(): Promise<void> {
    if (!this.exited) {
      const gone = new Promise((r) => this.child.once('exit', r));
      this.send('Browser.close').catch(() => undefined);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** What one page did while it loaded: console output, exceptions, log entries, requests. */
export interface PageRecord {
  console: { level: string; text: string }[];
  requests: string[];
}

/** One tab: opened on `url`, everything it logs or requests recorded from the start. */
export class Page {
  readonly record: PageRecord = { console: [], requests: [] };
  private stop: () => void = () => undefined;
  private constructor(
    readonly browser: Chromium,
    readonly targetId: string,
    readonly sessionId: string,
  ) {}

  static async open(browser: Chromium, url: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(browser, targetId, sessionId);
    const { record } = page;
    page.stop = browser.on((e) => {
      if (e.sessionId !== sessionId) return;
      if (e.method === 'Runtime.consoleAPICalled') record.console.push({ level: e.params.type, text: e.params.args.map((a: Json) => a.value ?? a.description ?? '').join(' ') });
      if (e.method === 'Runtime.exceptionThrown') record.console.push({ level: 'exception', text: e.params.exceptionDetails.exception?.description ?? e.params.exceptionDetails.text });
      if (e.method === 'Log.entryAdded') record.console.push({ level: e.params.entry.level, text: `${e.params.entry.source}: ${e.params.entry.text}` });
      if (e.method === 'Network.requestWillBeSent') record.requests.push(e.params.request.url);
    });
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await browser.send(`${domain}.enable`, {}, sessionId);
    await page.viewport(viewport.width, viewport.height, false);
    await browser.waitFor('Page.loadEventFired', sessionId, () => browser.send('Page.navigate', { url }, sessionId));
    return page;
  }

  viewport(width: number, height: number, mobile: boolean): Promise<Json> {
    return this.browser.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile }, this.sessionId);
  }

  media(media: '' | 'print'): Promise<Json> {
    return this.browser.send('Emulation.setEmulatedMedia', { media }, this.sessionId);
  }

  /** Evaluates an expression in the page and returns its value (JSON-serialisable). */
  async eval<T>(expression: string): Promise<T> {
    const r = await this.browser.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, this.sessionId);
    if (r.exceptionDetails) throw new Error(`in page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  /** The page printed as --print-to-pdf prints it: the page's own @page size, backgrounds on. */
  async pdf(): Promise<Buffer> {
    const r = await this.browser.send('Page.printToPDF', { preferCSSPageSize: true, printBackground: true }, this.sessionId, 60_000);
    return Buffer.from(r.data, 'base64');
  }

  async screenshot(clip?: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
    const r = await this.browser.send('Page.captureScreenshot', clip ? { format: 'png', clip: { ...clip, scale: 1 }, captureBeyondViewport: true } : { format: 'png' }, this.sessionId);
    return Buffer.from(r.data, 'base64');
  }

  async close(): Promise<void> {
    this.stop();
    await this.browser.send('Target.closeTarget', { targetId: this.targetId }).catch(() => undefined);
  }
}

/** Pages of a PDF: its page objects (/Type /Page, not the /Pages tree nodes). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g) ?? []).length;
}
