/**
 * HTTP plumbing of the local Discord: a route table, Discord-style errors, bodies read as
 * JSON or multipart, injected failures, the spec check of every body, and what each
 * request was (`RequestRecord`). The routes themselves live in `routes/`.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { RequestRecord } from './records.ts';
import type { OpenApiSpec } from './validate.ts';

/** An error Discord would answer with: HTTP status, JSON error code, message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Needs `Authorization: Bot <token>`. */
  auth: boolean;
  handle(ctx: RouteContext): Promise<RouteResult> | RouteResult;
}

export interface RouteContext {
  /** performance.now() when the request arrived */
  at: number;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  route: string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** A request body as an object (anything else as an empty one). */
export const messageData = (body: unknown): Json => (isObject(body) ? body : {});

/** Route pattern pieces: a snowflake, and a token (anything up to the next `/`). */
export const ID = '(\\d{1,20})';
export const TOKEN = '([^/]+)';

/** A route under `/api/v10`; `pattern` is anchored, a trailing `/` allowed. */
export function route(method: string, pattern: string, auth: boolean, handle: Route['handle']): Route {
  return { method, pattern: new RegExp(`^${pattern}/?$`), auth, handle };
}

/** A failure asked for by the test driver (`failNext`). */
export interface InjectedFailure {
  match: RegExp;
  status: number;
  left: number;
}

export interface RestContext {
  token: string;
  routes: readonly Route[];
  /** Every request, in arrival order (appended to). */
  requests: RequestRecord[];
  failures: InjectedFailure[];
  spec: OpenApiSpec | undefined;
  violation(where: string, reason: string): void;
  log(line: string): void;
}

/** Answers one REST request: records it, checks it, routes it, and never throws. */
export async function handleRequest(req: IncomingMessage, res: ServerResponse, rest: RestContext): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://localhost');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  const record: RequestRecord = { method, path, body: undefined, status: 0, at: performance.now() };
  rest.requests.push(record);
  const reply = (status: number, body?: unknown) => {
    record.status = status === 200 && body === undefined ? 204 : status;
    send(res, status, body);
  };
  try {
    const { raw, type } = await readBody(req);
    try {
      record.body = await parseBody(raw, type);
    } catch {
      return reply(400, { message: 'The request body contains invalid JSON.', code: 50109 });
    }
    const match = /^\/api\/v10(\/.*)$/.exec(path);
    const route = match?.[1] ?? '';
    const found = match ? findRoute(rest.routes, method, route) : undefined;
    const failure = takeFailure(rest.failures, `${method} ${path}`);
    if (failure) {
      rest.log(`failing ${method} ${path} with ${failure.status} as asked`);
      return reply(failure.status, { message: `${failure.status}: ${http.STATUS_CODES[failure.status] ?? 'Error'}`, code: 0 });
    }
    if (!found) return reply(404, { message: '404: Not Found', code: 0 });
    if (found.route.auth && req.headers.authorization !== `Bot ${rest.token}`) {
      return reply(401, { message: '401: Unauthorized', code: 0 });
    }
    if (rest.spec && record.body !== undefined && method !== 'GET') {
      for (const problem of rest.spec.problems(method, route, record.body)) rest.violation(`${method} ${path}`, problem);
    }
    const result = await found.route.handle({ at: record.at, params: found.params, query: url.searchParams, body: record.body, route });
    return reply(result.status, result.body);
  } catch (error) {
    if (error instanceof HttpError) {
      return reply(error.status, { message: error.message, code: error.code, ...error.extra });
    }
    rest.log(`internal error on ${method} ${path}: ${(error as Error).stack ?? String(error)}`);
    return reply(500, { message: '500: Internal Server Error', code: 0 });
  }
}

function takeFailure(failures: InjectedFailure[], request: string): InjectedFailure | undefined {
  const failure = failures.find((f) => f.left > 0 && f.match.test(request));
  if (!failure) return undefined;
  failure.left--;
  if (failure.left === 0) failures.splice(failures.indexOf(failure), 1);
  return failure;
}

function findRoute(routes: readonly Route[], method: string, route: string): { route: Route; params: string[] } | undefined {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const m = candidate.pattern.exec(route);
    if (m) return { route: candidate, params: m.slice(1) };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<{ raw: Buffer; type: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return { raw: Buffer.concat(chunks), type: String(req.headers['content-type'] ?? '') };
}

async function parseBody(raw: Buffer, type: string): Promise<unknown> {
  if (raw.length === 0) return undefined;
  if (/^multipart\/form-data/i.test(type)) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    // The JSON part of a multipart body; files (`files[n]`) are accepted and not kept.
    const payload = form.get('payload_json');
    return typeof payload === 'string' ? (JSON.parse(payload) as unknown) : {};
  }
  return JSON.parse(raw.toString('utf8')) as unknown;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined || status === 204) {
    res.writeHead(status === 200 && body === undefined ? 204 : status);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
