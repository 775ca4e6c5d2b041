/**
 * Checks for what a bot sends to the local Discord-compatible server:
 *  - `OpenApiSpec.problems`: the request body against Discord's OpenAPI spec, read from the
 *    path the server is given (a path that cannot be read fails loudly), with ajv's JSON
 *    Schema 2020-12 validator. Each route's requestBody schema is found by matching the path
 *    against the spec's path templates; validators are compiled on first use and cached.
 *  - `limitProblems`: Discord's message limits (content, embeds, components, autocomplete
 *    choices, thread names) and that every message body sets `allowed_mentions` so that it
 *    pings nobody.
 * Both return human-readable problems; the server records them as violations.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under NodeNext it arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

interface SpecRoute {
  template: string;
  regex: RegExp;
  /** Literal segments: more wins when two templates match (`messages/@original` over `messages/{id}`). */
  literals: number;
  methods: Set<string>;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Specs already read, by absolute path: ajv compiles the big schemas once per process. */
const loaded = new Map<string, OpenApiSpec>();

/** Discord's OpenAPI spec, for checking request bodies against their route's schema. */
export class OpenApiSpec {
  private readonly validators = new Map<string, ValidateFunction | null>();

  private constructor(
    private readonly ajv: Ajv2020,
    private readonly routes: SpecRoute[],
  ) {}

  /** Reads the spec at `file` (once per process). Throws, naming the path, when it cannot be read. */
  static load(file: string): OpenApiSpec {
    const key = path.resolve(file);
    const known = loaded.get(key);
    if (known) return known;
    let spec: { paths: Record<string, Record<string, unknown>> };
    try {
      spec = JSON.parse(readFileSync(key, 'utf8')) as typeof spec;
    } catch (error) {
      throw new Error(`Discord's OpenAPI spec cannot be read at ${key}: ${(error as Error).message}`);
    }
    // The spec is an OpenAPI document, not a schema: keep ajv from judging it as one, and let it
    // pass over OpenAPI-only keywords (`x-discord-union`, `discriminator`, …).
    // First error only and no inlining: ~0.1 ms a message and ~0.3 s to compile the big
    // interaction-callback schema (allErrors would cost 10× per request).
    const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: false, inlineRefs: false, code: { optimize: false }, logger: false });
    addFormats(ajv);
    ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
    ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
    ajv.addFormat('nonce', true);
    ajv.addSchema(spec, 'discord');
    const routes = Object.entries(spec.paths).map(([template, item]) => {
      const parts = template.split('/').filter(Boolean);
      const regex = new RegExp(`^/${parts.map((p) => (/^\{.+\}$/.test(p) ? '[^/]+' : escapeRegex(p))).join('/')}/?$`);
      return {
        template,
        regex,
        literals: parts.filter((p) => !/^\{.+\}$/.test(p)).length,
        methods: new Set(Object.keys(item).filter((k) => k !== 'parameters')),
      };
    });
    const out = new OpenApiSpec(ajv, routes);
    loaded.set(key, out);
    return out;
  }

  /** The spec's path template for a request path under `/api/v10` (e.g. `/channels/{channel_id}/messages`). */
  template(route: string, method: string): string | undefined {
    const m = method.toLowerCase();
    let best: SpecRoute | undefined;
    for (const candidate of this.routes) {
      if (!candidate.methods.has(m) || !candidate.regex.test(route)) continue;
      if (!best || candidate.literals > best.literals) best = candidate;
    }
    return best?.template;
  }

  /** Compiles the validators of the routes a bot answering interactions uses, so the first request does not pay for it. */
  warmUp(): void {
    const routes: Array<[string, string]> = [
      ['POST', '/interactions/{interaction_id}/{interaction_token}/callback'],
      ['PATCH', '/webhooks/{webhook_id}/{webhook_token}/messages/@original'],
      ['POST', '/webhooks/{webhook_id}/{webhook_token}'],
      ['POST', '/channels/{channel_id}/messages'],
      ['POST', '/channels/{channel_id}/messages/{message_id}/threads'],
    ];
    for (const [method, template] of routes) this.validatorFor(template, method);
  }

  /**
   * The body against the spec's requestBody schema for this route (path relative to `/api/v10`).
   * Returns problems; none when the body is valid or the route has no schema.
   */
  problems(method: string, route: string, body: unknown): string[] {
    const template = this.template(route, method);
    if (!template) return [];
    const validate = this.validatorFor(template, method);
    if (!validate) return [];
    if (validate(permissionStringsAsNumbers(body))) return [];
    return [`does not match the OpenAPI schema of ${method} ${template}: ${describeErrors(validate.errors)}`];
  }

  private validatorFor(template: string, method: string): ValidateFunction | null {
    const key = `${method} ${template}`;
    let validate = this.validators.get(key);
    if (validate !== undefined) return validate;
    const ref = `discord#/paths/${pointer(template)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`;
    try {
      validate = this.ajv.compile({ $ref: ref });
    } catch {
      validate = null; // this route takes no JSON body in the spec
    }
    this.validators.set(key, validate);
    return validate;
  }
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors?.length) return 'invalid';
  // With anyOf/oneOf every branch reports; the deepest errors are the useful ones.
  const sorted = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of sorted) {
    const line = `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && 'allowedValues' in e.params ? ` (${JSON.stringify(e.params.allowedValues)})` : ''}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push(line);
    if (out.length >= 4) break;
  }
  return out.join('; ');
}

/** Keys holding a permission bitset. */
const PERMISSION_KEYS = new Set(['default_member_permissions', 'permissions', 'allow', 'deny']);

/**
 * Discord documents permission bitsets as strings ("32") and its API takes them so (it is what
 * discord.js sends), while the OpenAPI spec types them as integers in request bodies. Read such
 * strings as the numbers they stand for before validating; anything else is left as sent.
 */
function permissionStringsAsNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(permissionStringsAsNumbers);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = PERMISSION_KEYS.has(key) && typeof item === 'string' && /^\d{1,17}$/.test(item) ? Number(item) : permissionStringsAsNumbers(item);
  }
  return out;
}

/**
 * Discord's limits, as documented. Deliberately not imported from the bot's `limits.ts`:
 * the checker must not share a mistake with the code it checks.
 */
export const DISCORD_LIMITS = Object.freeze({
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  customId: 100,
  buttonLabel: 80,
  actionRows: 5,
  rowButtons: 5,
  threadName: 100,
});

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function embedProblems(embeds: unknown): string[] {
  if (embeds === undefined || embeds === null) return [];
  if (!Array.isArray(embeds)) return ['embeds is not an array'];
  const out: string[] = [];
  if (embeds.length > DISCORD_LIMITS.embeds) out.push(`${embeds.length} embeds (max ${DISCORD_LIMITS.embeds})`);
  let total = 0;
  embeds.forEach((embed, i) => {
    if (!isObject(embed)) return;
    const check = (what: string, text: string, max: number) => {
      total += text.length;
      if (text.length > max) out.push(`embeds[${i}].${what} has ${text.length} characters (max ${max})`);
    };
    check('title', str(embed.title), DISCORD_LIMITS.embedTitle);
    check('description', str(embed.description), DISCORD_LIMITS.embedDescription);
    if (isObject(embed.footer)) check('footer.text', str(embed.footer.text), DISCORD_LIMITS.footerText);
    if (isObject(embed.author)) check('author.name', str(embed.author.name), DISCORD_LIMITS.authorName);
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    if (fields.length > DISCORD_LIMITS.embedFields) out.push(`embeds[${i}] has ${fields.length} fields (max ${DISCORD_LIMITS.embedFields})`);
    fields.forEach((field, j) => {
      if (!isObject(field)) return;
      check(`fields[${j}].name`, str(field.name), DISCORD_LIMITS.fieldName);
      check(`fields[${j}].value`, str(field.value), DISCORD_LIMITS.fieldValue);
      if (!str(field.name) || !str(field.value)) out.push(`embeds[${i}].fields[${j}] has an empty name or value`);
    });
  });
  if (total > DISCORD_LIMITS.embedTotal) out.push(`embeds have ${total} characters in all (max ${DISCORD_LIMITS.embedTotal})`);
  return out;
}

function componentProblems(components: unknown): string[] {
  if (components === undefined || components === null) return [];
  if (!Array.isArray(components)) return ['components is not an array'];
  const out: string[] = [];
  if (components.length > DISCORD_LIMITS.actionRows) out.push(`${components.length} action rows (max ${DISCORD_LIMITS.actionRows})`);
  const ids = new Set<string>();
  components.forEach((row, i) => {
    if (!isObject(row) || row.type !== 1) return;
    const children = Array.isArray(row.components) ? row.components : [];
    if (children.length > DISCORD_LIMITS.rowButtons) out.push(`components[${i}] has ${children.length} components (max ${DISCORD_LIMITS.rowButtons})`);
    children.forEach((child, j) => {
      if (!isObject(child)) return;
      const id = child.custom_id;
      if (typeof id === 'string') {
        if (id.length > DISCORD_LIMITS.customId) out.push(`components[${i}][${j}].custom_id has ${id.length} characters (max ${DISCORD_LIMITS.customId})`);
        if (ids.has(id)) out.push(`custom_id ${JSON.stringify(id)} is used twice`);
        ids.add(id);
      }
      if (typeof child.label === 'string' && child.label.length > DISCORD_LIMITS.buttonLabel) {
        out.push(`components[${i}][${j}].label has ${child.label.length} characters (max ${DISCORD_LIMITS.buttonLabel})`);
      }
    });
  });
  return out;
}

/** `allowed_mentions` must be there and allow no ping: no parse of everyone/roles/users, no listed ids. */
function mentionProblems(allowed: unknown): string[] {
  if (!isObject(allowed)) return ['allowed_mentions is missing (the message could ping @everyone, roles or users)'];
  const out: string[] = [];
  const parse = Array.isArray(allowed.parse) ? allowed.parse : [];
  for (const kind of ['everyone', 'roles', 'users']) if (parse.includes(kind)) out.push(`allowed_mentions.parse allows "${kind}" pings`);
  for (const list of ['users', 'roles'] as const) {
    if (Array.isArray(allowed[list]) && (allowed[list] as unknown[]).length) out.push(`allowed_mentions.${list} lists ids to ping`);
  }
  if (allowed.replied_user === true) out.push('allowed_mentions.replied_user pings the author of the replied message');
  return out;
}

/** Limits of a message body (create or edit), and its allowed_mentions. */
export function messageProblems(body: unknown): string[] {
  if (!isObject(body)) return ['the message body is not an object'];
  const out: string[] = [];
  if (typeof body.content === 'string' && body.content.length > DISCORD_LIMITS.content) {
    out.push(`content has ${body.content.length} characters (max ${DISCORD_LIMITS.content})`);
  }
  out.push(...embedProblems(body.embeds), ...componentProblems(body.components), ...mentionProblems(body.allowed_mentions));
  return out;
}

/** Autocomplete choices: at most 25, names of 1–100 characters, string values ≤ 100. */
export function choiceProblems(choices: unknown): string[] {
  if (!Array.isArray(choices)) return ['autocomplete data.choices is not an array'];
  const out: string[] = [];
  if (choices.length > DISCORD_LIMITS.choices) out.push(`${choices.length} autocomplete choices (max ${DISCORD_LIMITS.choices})`);
  choices.forEach((choice, i) => {
    if (!isObject(choice)) return void out.push(`choices[${i}] is not an object`);
    const name = str(choice.name);
    if (name.length < 1 || name.length > DISCORD_LIMITS.choiceName) out.push(`choices[${i}].name has ${name.length} characters (1–${DISCORD_LIMITS.choiceName})`);
    if (typeof choice.value === 'string' && choice.value.length > DISCORD_LIMITS.choiceValue) {
      out.push(`choices[${i}].value has ${choice.value.length} characters (max ${DISCORD_LIMITS.choiceValue})`);
    }
  });
  return out;
}

/** A thread name of 1–100 characters. */
export function threadNameProblems(name: unknown): string[] {
  if (typeof name !== 'string' || name.length < 1 || name.length > DISCORD_LIMITS.threadName) {
    return [`thread name has ${typeof name === 'string' ? name.length : 0} characters (1–${DISCORD_LIMITS.threadName})`];
  }
  return [];
}
