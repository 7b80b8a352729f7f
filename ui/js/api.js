// The one way the UI talks to the server: JSON over fetch with the bearer token. Errors come back as
// the API's own body { error, message, details }, so the page shows the API's words.
import { token } from './session.js';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.error = body?.error ?? 'Error';
    this.details = body?.details;
  }
}

async function request(method, path, body, extraHeaders = {}) {
  const headers = { accept: 'application/json', ...extraHeaders };
  const bearer = token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(0, { error: '网络错误', message: `无法连接服务器（${err.message}）` });
  }
  if (!res.ok) {
    const parsed = await res.json().catch(() => null);
    throw new ApiError(res.status, parsed ?? { error: res.statusText, message: `HTTP ${res.status}` });
  }
  return res;
}

export const get = async (path) => (await request('GET', path)).json();
/** GET figures computed now rather than the server's short-lived copy (the compliance overview's 刷新). */
export const getFresh = async (path) => (await request('GET', path, undefined, { 'cache-control': 'no-cache' })).json();
export const post = async (path, body) => (await request('POST', path, body ?? {})).json();
export const put = async (path, body) => (await request('PUT', path, body ?? {})).json();
/** For downloads (the compliance CSV): the body as a Blob. */
export const getBlob = async (path) => (await request('GET', path)).blob();

/** A path segment for ids such as `county-market:市监罚〔2026〕77号`. */
export const seg = (id) => encodeURIComponent(id);
