/**
 * A small keep-alive HTTP/1.1 client on node:http (no extra dependency, little overhead), for
 * loopback addresses only: the benchmark never sends traffic anywhere else.
 */
import { Agent, request } from 'node:http';

export interface HttpResponse {
  status: number;
  body: any;
}

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} → ${status} ${typeof body === 'object' ? JSON.stringify(body).slice(0, 300) : String(body).slice(0, 300)}`);
  }
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(
    readonly base: string,
    maxSockets: number,
  ) {
    this.url = new URL(base);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(this.url.hostname) && !this.url.hostname.startsWith('127.')) {
      throw new Error(`the benchmark only speaks to loopback addresses, not ${base}`);
    }
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** Sends a request and reads the whole answer (JSON when it is JSON); never throws on a status. */
  send(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown, timeoutMs = 60_000): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.url.hostname.replace(/^\[|\]$/g, ''),
          port: this.url.port,
          method,
          path,
          headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json')) {
              try {
                parsed = JSON.parse(text);
              } catch {
                // keep the text
              }
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** Like send, but throws an HttpError unless the status is one of `expected`. */
  async expect(expected: number[], method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown): Promise<any> {
    const res = await this.send(method, path, headers, body);
    if (!expected.includes(res.status)) throw new HttpError(res.status, res.body, `${method} ${path.slice(0, 80)}`);
    return res.body;
  }

  close() {
    this.agent.destroy();
  }
}
