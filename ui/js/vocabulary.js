// The Chinese words for the API's codes (stages, roles, categories, the eight checks …), served by the
// server from the same domain modules the API validates with (api/routes/ui.ts), so they cannot drift.
const res = await fetch('/ui/vocabulary.json');
if (!res.ok) throw new Error(`vocabulary: HTTP ${res.status}`);

/** @type {Record<string, Record<string, string>>} */
export const V = await res.json();

/** The word for a code, or the code itself when the vocabulary has none. */
export const word = (table, code) => V[table]?.[code] ?? code ?? '—';
