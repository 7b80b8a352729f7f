// Who is signed in: the bearer token, kept for this browser tab only (sessionStorage), so closing
// the tab signs out. The claims are read to choose menus and offered actions; the API verifies the
// token on every request and decides.

const KEY = 'es-token';

/** The token's claims ({ role, agencyId?, name, exp }), or null when signed out or expired. */
export function current() {
  const token = sessionStorage.getItem(KEY);
  if (!token) return null;
  const claims = decode(token);
  if (!claims || (claims.exp && claims.exp * 1000 <= Date.now())) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return { ...claims, token };
}

export const token = () => current()?.token ?? null;

export function signIn(token) {
  const claims = decode(token);
  if (!claims?.role) throw new Error('这不是本系统的访问令牌（无法读取角色）');
  sessionStorage.setItem(KEY, token);
  return claims;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

function decode(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
