import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { $ZodIssue, $ZodType } from 'zod/v4/core';

// zod's own Chinese messages (数值过小、无效输入 …) for every schema the API parses, set once for
// the process (api/app.ts imports this module before it builds the app).
import '../domain/zod-locale.js';

/** The one error body of the API (see plugins/errors.ts). */
export const errorBody = z
  .object({
    error: z.string().describe('HTTP reason phrase'),
    message: z.string().describe('What was wrong, in Chinese, naming the field by its label (e.g. 承办执法人员：至少两名)'),
    details: z
      .unknown()
      .optional()
      .describe('For a 400: one { in, path, message } per problem, path a JSON pointer into the request part `in` (body, querystring, params, headers)'),
  })
  .describe('Error');

/** Responses every authenticated route can give besides its own. */
export const authErrors = { 400: errorBody, 401: errorBody, 403: errorBody } as const;

/** What names a case in any list: the agency's and the public's. */
export const caseHeading = z.object({
  caseId: z.string(),
  agencyId: z.string(),
  agencyName: z.string(),
  caseNumber: z.string(),
  title: z.string(),
  category: z.string(),
});

// ---------------------------------------------------------------------------------------------
// Naming the field by its label. The schemas carry their Chinese labels as their description
// (`.describe('当事人')`, or a label followed by an explanation: '案件编号, unique within …') or as
// `.meta({ title })`; an issue's path is followed through the schema to find them.

type Def = { type: string; [k: string]: unknown };
const defOf = (schema: $ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The Chinese label a schema carries itself, if any. */
export function ownLabel(schema: $ZodType): string | undefined {
  const meta = z.globalRegistry.get(schema) as { title?: unknown; description?: unknown } | undefined;
  if (typeof meta?.title === 'string' && meta.title) return meta.title;
  if (typeof meta?.description !== 'string') return undefined;
  const head = meta.description.split(/[,，:：;；(（]|\s/)[0] ?? '';
  return /\p{Script=Han}/u.test(head) ? head : undefined;
}

/** The schema and what it wraps (optional, default, pipe …), outermost first. */
function layers(schema: $ZodType): $ZodType[] {
  const found: $ZodType[] = [];
  let node: $ZodType | undefined = schema;
  for (let depth = 0; node && depth < 20; depth++) {
    found.push(node);
    const def = defOf(node);
    if ('innerType' in def) node = def.innerType as $ZodType;
    else if (def.type === 'pipe') node = def.in as $ZodType;
    else if (def.type === 'lazy') node = (def.getter as () => $ZodType)();
    else node = undefined;
  }
  return found;
}

const labelOf = (schema: $ZodType): string | undefined => layers(schema).map(ownLabel).find(Boolean);

/** The literal values an option of a discriminated union takes at its discriminator. */
function tagValues(option: $ZodType, discriminator: string): unknown[] {
  const tag = childOf(option, discriminator);
  const def = tag && defOf(layers(tag).at(-1)!);
  if (def?.type === 'literal') return def.values as unknown[];
  if (def?.type === 'enum') return Object.values(def.entries as Record<string, unknown>);
  return [];
}

/**
 * The schema of the value at `key` inside `schema`, if the schema says. `value` is the input there,
 * so that a discriminated union's option is the one the input chose (a person's name is 姓名, an
 * organisation's 名称).
 */
function childOf(schema: $ZodType, key: PropertyKey, value?: unknown): $ZodType | undefined {
  for (const layer of layers(schema)) {
    const def = defOf(layer);
    switch (def.type) {
      case 'object': {
        const shape = def.shape as Record<string, $ZodType>;
        if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(shape, key)) return shape[key];
        if (def.catchall) return def.catchall as $ZodType;
        return undefined;
      }
      case 'array':
        return def.element as $ZodType;
      case 'set':
        return def.valueType as $ZodType;
      case 'record':
      case 'map':
        return def.valueType as $ZodType;
      case 'tuple': {
        const items = def.items as $ZodType[];
        return (typeof key === 'number' ? items[key] : undefined) ?? (def.rest as $ZodType | undefined);
      }
      case 'union': {
        const discriminator = def.discriminator as string | undefined;
        const tag = discriminator && typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[discriminator] : undefined;
        if (tag !== undefined) {
          const chosen = (def.options as $ZodType[]).find((option) => tagValues(option, discriminator!).includes(tag));
          if (chosen) return childOf(chosen, key, value);
        }
        for (const option of def.options as $ZodType[]) {
          const child = childOf(option, key);
          if (child) return child;
        }
        return undefined;
      }
      case 'intersection':
        return childOf(def.left as $ZodType, key) ?? childOf(def.right as $ZodType, key);
    }
  }
  return undefined;
}

function isContainer(schema: $ZodType | undefined, type: string): boolean {
  return !!schema && layers(schema).some((l) => defOf(l).type === type);
}

/** What a request part is called when the problem is the part as a whole. */
export const PART_LABELS: Record<string, string> = { body: '请求体', querystring: '查询参数', params: '路径参数', headers: '请求头' };

/**
 * The field at `path` named by its labels, e.g. ['party', 'creditCode'] → '当事人·统一社会信用代码',
 * ['officers', 1, 'name'] → '承办执法人员第2项·姓名'. A field without a label is named by its key.
 */
export function fieldLabel(root: $ZodType | undefined, path: readonly PropertyKey[], partLabel = PART_LABELS.body!, input?: unknown): string {
  if (!path.length) return (root && labelOf(root)) ?? partLabel;
  let node = root;
  let value = input;
  let label = '';
  for (const key of path) {
    const child = node ? childOf(node, key, value) : undefined;
    value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
    const index = typeof key === 'number' || (typeof key === 'string' && /^\d+$/.test(key) && (isContainer(node, 'array') || isContainer(node, 'tuple')));
    if (index) label += `第${Number(key) + 1}项`;
    else if (node && (isContainer(node, 'record') || isContainer(node, 'map'))) label += `“${String(key)}”`;
    else label += `${label ? '·' : ''}${(child && labelOf(child)) ?? String(key)}`;
    node = child;
  }
  return label;
}

/** A message that already begins with its field's label ("结论：……"), as the domain's shared rule functions write them. */
const LABELLED = /^[^\s：:]{1,30}：/u;

/** The discriminator values a discriminated union at `path` accepts, for a clearer message than 无效输入. */
function discriminatorValues(root: $ZodType | undefined, path: readonly PropertyKey[]): unknown[] | undefined {
  let node = root;
  for (const key of path.slice(0, -1)) node = node ? childOf(node, key) : undefined;
  const union = node && layers(node).find((l) => defOf(l).type === 'union' && defOf(l).discriminator);
  if (!union) return undefined;
  const values = (defOf(union).options as $ZodType[]).flatMap((option) => tagValues(option, String(path[path.length - 1])));
  return values.length ? values : undefined;
}

/** A request's problem as the API reports it: where, and what, in Chinese with the field's label. */
export interface LabelledIssue {
  path: PropertyKey[];
  message: string;
}

/**
 * zod's issues, each message in Chinese (zod's zh-CN locale or the schema's own message) after the
 * field's label: "承办执法人员：至少两名". A rule's message that already names its field is kept.
 */
export function labelledIssues(root: $ZodType | undefined, issues: readonly $ZodIssue[], partLabel?: string, input?: unknown): LabelledIssue[] {
  return issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'invalid_union' && (issue as { discriminator?: string }).discriminator) {
      // zod says only 无效输入 of an unknown discriminator; say which values it takes, in zod's words.
      const options = (issue as { options?: unknown[] }).options;
      const values = options?.length ? options : discriminatorValues(root, issue.path);
      const localeError = z.config().localeError;
      const said = values && localeError?.({ code: 'invalid_value', values, input: undefined, path: issue.path } as never);
      if (said) message = typeof said === 'string' ? said : said.message;
    }
    if (issue.code === 'custom' && LABELLED.test(message)) return { path: [...issue.path], message };
    return { path: [...issue.path], message: `${fieldLabel(root, issue.path, partLabel, input)}：${message}` };
  });
}

/** Fields zod let through but the API refuses: an unknown key, or a string that is not well-formed Unicode. */
function strayInput(raw: unknown, parsed: unknown, path: string[], found: Array<{ path: string[]; message: string; unknownKey?: string }>): void {
  const loneSurrogate = '须为有效的 Unicode 文本（含有不成对的代理字符，无法按原样保存）';
  if (typeof raw === 'string') {
    // A lone surrogate: stored in Temporal's UTF-8 payloads it would come back as U+FFFD, not as sent.
    if (/\p{Cs}/u.test(raw)) found.push({ path, message: loneSurrogate });
    return;
  }
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => strayInput(item, Array.isArray(parsed) ? parsed[i] : undefined, [...path, String(i)], found));
    return;
  }
  if (typeof raw !== 'object' || raw === null) return;
  const known = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  for (const [key, value] of Object.entries(raw)) {
    if (/\p{Cs}/u.test(key)) found.push({ path: [...path, key], message: `字段名${loneSurrogate}` });
    else if (known && !Object.prototype.hasOwnProperty.call(known, key)) {
      // zod's own words for an unknown key (出现未知的键(key): …), said of the object that has it.
      const said = z.config().localeError?.({ code: 'unrecognized_keys', keys: [key], input: raw, path } as never);
      const message = (typeof said === 'string' ? said : said?.message) ?? `未知字段 ${JSON.stringify(key)}`;
      found.push({ path: [...path, key], message: `${message}（本请求没有该字段）`, unknownKey: key });
    } else strayInput(value, known?.[key], [...path, key], found);
  }
}

/** The errors the error handler reads (plugins/errors.ts), in the shape fastify-type-provider-zod gives them. */
function validationErrors(issues: Array<{ path: PropertyKey[]; message: string; code: string }>) {
  return issues.map(({ path, message, code }) => ({
    [Symbol.for('ZodFastifySchemaValidationError')]: true,
    keyword: code,
    instancePath: `/${path.map(String).join('/')}`,
    schemaPath: `#/${path.map(String).join('/')}/${code}`,
    message,
    params: { issue: { path } },
  }));
}

/**
 * The route's zod schema, and then what zod lets through silently. zod objects drop keys they do not
 * know, so a misspelt field, or one like `by` or `stage` meant to set what the server decides, would
 * be ignored and the rest applied: it is refused instead, naming it. Strings must be well-formed
 * Unicode, or the record would not keep what was sent. Every message is in Chinese and begins with
 * the field's label (labelledIssues); the error has the shape the zod validator's own errors have,
 * so the error handler answers both alike (400 naming the field).
 */
export const strictValidatorCompiler: typeof validatorCompiler = (route) => {
  const schema = route.schema as unknown as $ZodType;
  const partLabel = PART_LABELS[route.httpPart ?? 'body'] ?? PART_LABELS.body!;
  return (data) => {
    const result = z.safeParse(schema as never, data);
    if (!result.success) {
      const labelled = labelledIssues(schema, result.error.issues, partLabel, data);
      return { error: validationErrors(labelled.map((l, i) => ({ ...l, code: result.error.issues[i]!.code }))) } as never;
    }
    const found: Array<{ path: string[]; message: string; unknownKey?: string }> = [];
    strayInput(data, result.data, [], found);
    if (!found.length) return { value: result.data } as never;
    return {
      error: validationErrors(
        found.map(({ path, message, unknownKey }) => {
          const named = unknownKey === undefined ? path : path.slice(0, -1);
          return { path, code: 'unrecognized_keys', message: `${fieldLabel(schema, named, partLabel, data)}：${message}` };
        }),
      ),
    } as never;
  };
};
