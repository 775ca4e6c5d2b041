/**
 * The local Discord-compatible server on its own, spoken to with plain HTTP and WebSocket
 * clients: REST errors and auth, snowflakes, the gateway handshake, heartbeats, RESUME,
 * compression, interaction callbacks (with_response, a second acknowledgement, the 3 s
 * deadline), multipart follow-ups, and the spec and limit checks that find bot mistakes.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { snowflake, snowflakeTime, startLocalDiscord, type LocalDiscord } from '../../src/local-discord/index.ts';
import { DISCORD_SPEC } from '../helpers.ts';

let ld: LocalDiscord;
beforeAll(async () => {
  ld = await startLocalDiscord({ log: () => {}, spec: DISCORD_SPEC });
});
afterAll(async () => {
  await ld?.close();
});

async function api(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${ld.apiUrl}/v10${route}`, {
    method,
    headers: { Authorization: `Bot ${ld.token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), json: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

const noPings = { parse: [], users: [], roles: [], replied_user: false };

/** A raw gateway client: every payload received, decoded. */
function connect(query = '?v=10&encoding=json', decode: (data: Buffer, binary: boolean) => unknown = (d) => JSON.parse(d.toString())) {
  const ws = new WebSocket(`${ld.gatewayUrl}${query}`);
  const received: Array<{ op: number; t?: string; s?: number; d: any }> = [];
  let closed: { code: number; reason: string } | undefined;
  const listeners = new Set<() => void>();
  ws.on('message', (data: Buffer, binary) => {
    const payload = decode(data, binary);
    if (payload) received.push(payload as never);
    for (const l of listeners) l();
  });
  ws.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
    for (const l of listeners) l();
  });
  const until = <T>(check: () => T | undefined, what: string) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 5000);
      const test = () => {
        const value = check();
        if (value !== undefined) {
          clearTimeout(timer);
          listeners.delete(test);
          resolve(value);
        }
      };
      listeners.add(test);
      test();
    });
  return {
    ws,
    received,
    send: (payload: unknown) => ws.send(JSON.stringify(payload)),
    dispatch: (t: string) => until(() => received.find((p) => p.t === t), t),
    op: (op: number) => until(() => received.find((p) => p.op === op), `op ${op}`),
    closed: () => until(() => closed, 'close'),
  };
}

describe('local Discord: REST basics', () => {
  it('answers unknown routes 404 with a Discord-style JSON error, never 401', async () => {
    const missing = await api('GET', '/nothing/here');
    expect(missing).toEqual({ status: 404, type: 'application/json', json: { message: '404: Not Found', code: 0 } });
    expect((await api('GET', '/nothing/here', undefined, { Authorization: 'Bot wrong' })).status).toBe(404);
    expect((await fetch(`${ld.url}/api/v9/gateway/bot`)).status).toBe(404);
  });

  it('answers 401 to a wrong token on bot routes only', async () => {
    expect((await api('GET', '/gateway/bot', undefined, { Authorization: 'Bot wrong' })).status).toBe(401);
    const ok = await api('GET', '/gateway/bot');
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('application/json');
    expect(ok.json).toMatchObject({ url: ld.gatewayUrl, shards: 1, session_start_limit: { max_concurrency: 1 } });
    expect((await api('GET', '/applications/@me')).json).toMatchObject({ id: ld.applicationId, bot: { id: ld.botUserId } });
  });

  it('answers 400 (50109) to malformed JSON, and failNext fails the next matching requests', async () => {
    const bad = await api('POST', `/channels/${ld.channels.general}/messages`, '{"content": ');
    expect(bad).toMatchObject({ status: 400, json: { code: 50109 } });
    ld.failNext(/^GET \/api\/v10\/gateway\/bot$/, 503, 2);
    expect((await api('GET', '/gateway/bot')).status).toBe(503);
    expect((await api('GET', '/gateway/bot')).status).toBe(503);
    expect((await api('GET', '/gateway/bot')).status).toBe(200);
  });

  it('makes 17–19-digit snowflakes from the time, increasing', () => {
    const ids = Array.from({ length: 5000 }, () => snowflake());
    for (const id of [...ids, ld.guildId, ld.botUserId, ld.channels.general, ld.roles.moderator]) expect(id).toMatch(/^\d{17,19}$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i]!) > BigInt(ids[i - 1]!)).toBe(true);
    expect(Math.abs(snowflakeTime(ids[0]!) - Date.now())).toBeLessThan(60_000);
  });
});

describe('local Discord: gateway', () => {
  it('closes with 4004 on a wrong token', async () => {
    const client = connect();
    await client.op(10);
    client.send({ op: 2, d: { token: 'wrong', intents: 513, properties: {} } });
    expect((await client.closed()).code).toBe(4004);
  });

  it('HELLO, IDENTIFY → READY then GUILD_CREATE, heartbeats acknowledged, RESUME replays what was missed', async () => {
    const client = connect();
    const hello = await client.op(10);
    expect(hello.d.heartbeat_interval).toBeGreaterThan(0);
    client.send({ op: 2, d: { token: ld.token, intents: 513, properties: { os: 'linux', browser: 'test', device: 'test' }, shard: [0, 1] } });
    const ready = await client.dispatch('READY');
    expect(ready.s).toBe(1);
    expect(ready.d).toMatchObject({ v: 10, user: { id: ld.botUserId, bot: true }, guilds: [{ id: ld.guildId, unavailable: true }], shard: [0, 1], application: { id: ld.applicationId } });
    expect(ready.d.resume_gateway_url).toBe(ld.gatewayUrl);
    const guild = await client.dispatch('GUILD_CREATE');
    expect(guild.s).toBe(2);
    expect(guild.d.roles.find((r: { id: string }) => r.id === ld.guildId)).toMatchObject({ name: '@everyone', permissions: expect.stringMatching(/^\d+$/) });
    expect(guild.d.channels).toEqual([expect.objectContaining({ id: ld.channels.general, name: 'general', type: 0 })]);
    expect(guild.d.threads).toEqual([expect.objectContaining({ id: ld.channels.thread, type: 11, parent_id: ld.channels.general, thread_metadata: expect.any(Object) })]);
    expect(guild.d.members.map((m: { user: { id: string } }) => m.user.id)).toEqual(expect.arrayContaining([ld.botUserId, ld.members.alice.id, ld.members.admin.id]));
    await ld.waitForBot();

    client.send({ op: 1, d: 2 });
    await client.op(11);

    // Drop the connection (resumable), miss a message, then resume from seq 2.
    client.ws.close(4000);
    await client.closed();
    const missed = ld.sendMessage(ld.members.alice, ld.channels.general, 'hello while you were away', { mentionBot: true });
    const again = connect();
    await again.op(10);
    again.send({ op: 6, d: { token: ld.token, session_id: ready.d.session_id, seq: 2 } });
    const resumed = await again.dispatch('RESUMED');
    const replayed = again.received.find((p) => p.t === 'MESSAGE_CREATE')!;
    expect(replayed).toMatchObject({ s: 3, d: { id: missed.id, content: missed.content, guild_id: ld.guildId, mentions: [expect.objectContaining({ id: ld.botUserId })] } });
    expect(resumed.s).toBe(4);
    expect(again.received.indexOf(replayed)).toBeLessThan(again.received.indexOf(resumed));

    // An unknown session cannot be resumed.
    const stranger = connect();
    await stranger.op(10);
    stranger.send({ op: 6, d: { token: ld.token, session_id: 'nope', seq: 1 } });
    expect((await stranger.op(9)).d).toBe(false);
    for (const c of [again, stranger]) c.ws.close(1000);
  });

  it('dispatches MESSAGE_CREATE for what the bot posts and THREAD_CREATE for the threads it opens', async () => {
    const client = connect();
    await client.op(10);
    client.send({ op: 2, d: { token: ld.token, intents: 513, properties: {} } });
    await client.dispatch('GUILD_CREATE');
    const posted = await api('POST', `/channels/${ld.channels.general}/messages`, { content: 'a question to thread', allowed_mentions: noPings });
    expect((await client.dispatch('MESSAGE_CREATE')).d).toMatchObject({ id: posted.json!.id, author: { id: ld.botUserId }, guild_id: ld.guildId });

    const created = await api('POST', `/channels/${ld.channels.general}/messages/${posted.json!.id}/threads`, { name: 'On the question', auto_archive_duration: 60 });
    expect(created).toMatchObject({ status: 201, json: { id: posted.json!.id, type: 11, name: 'On the question', parent_id: ld.channels.general, thread_metadata: { archived: false, auto_archive_duration: 60 } } });
    expect((await client.dispatch('THREAD_CREATE')).d).toMatchObject({ id: posted.json!.id, type: 11, newly_created: true });
    expect((await client.dispatch('MESSAGE_UPDATE')).d).toMatchObject({ id: posted.json!.id, flags: 32 });
    expect(ld.threads().find((t) => t.id === posted.json!.id)).toEqual({ id: posted.json!.id, name: 'On the question', parent_id: ld.channels.general, message_id: posted.json!.id });
    const twice = await api('POST', `/channels/${ld.channels.general}/messages/${posted.json!.id}/threads`, { name: 'again' });
    expect(twice).toMatchObject({ status: 400, json: { code: 160004 } });

    const bare = await api('POST', `/channels/${ld.channels.general}/threads`, { name: 'No starter', type: 11 });
    expect(bare).toMatchObject({ status: 201, json: { type: 11, parent_id: ld.channels.general } });
    const inThread = await api('POST', `/channels/${bare.json!.id}/messages`, { content: 'inside', allowed_mentions: noPings });
    expect(inThread.json).toMatchObject({ channel_id: bare.json!.id });
    expect(ld.messages(bare.json!.id).map((m) => m.content)).toEqual(['inside']);
    client.ws.close(1000);
    expect(ld.violations).toEqual([]);
  });

  it('supports compress=zlib-stream and refuses what it does not speak', async () => {
    // One zlib stream for the whole connection, each payload ending in a sync flush.
    const chunks: Buffer[] = [];
    let seen = 0;
    const client = connect('?v=10&encoding=json&compress=zlib-stream', (data, binary) => {
      expect(binary).toBe(true);
      chunks.push(data);
      const text = zlib.inflateSync(Buffer.concat(chunks), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString();
      const payload = JSON.parse(text.slice(seen)) as unknown;
      seen = text.length;
      return payload;
    });
    expect((await client.op(10)).d.heartbeat_interval).toBeGreaterThan(0);
    client.ws.close(1000);

    // IDENTIFY's compress: true: each payload after it is one zlib-deflated binary frame.
    const frames: boolean[] = [];
    const packed = connect('?v=10&encoding=json', (data, binary) => {
      frames.push(binary);
      return JSON.parse((binary ? zlib.inflateSync(data) : data).toString());
    });
    await packed.op(10);
    packed.send({ op: 2, d: { token: ld.token, intents: 1, properties: {}, compress: true } });
    expect((await packed.dispatch('GUILD_CREATE')).d.id).toBe(ld.guildId);
    expect(frames).toEqual([false, true, true]); // HELLO as text, READY and GUILD_CREATE deflated
    packed.ws.close(1000);

    const etf = connect('?v=10&encoding=etf');
    expect(await etf.closed()).toMatchObject({ code: 4012, reason: expect.stringMatching(/encoding=etf/) });
    const v9 = connect('?v=9&encoding=json');
    expect((await v9.closed()).code).toBe(4012);
  });
});

describe('local Discord: interactions and checks', () => {
  it('answers with_response=true with the callback response, and a second acknowledgement with 40060', async () => {
    const handle = ld.slashCommand(ld.members.alice, 'ask', { question: 'anything' });
    const callback = `/interactions/${handle.id}/${handle.token}/callback`;
    const first = await api('POST', `${callback}?with_response=true`, { type: 4, data: { content: 'hi', allowed_mentions: noPings } });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      interaction: { id: handle.id, type: 2, response_message_loading: false, response_message_ephemeral: false },
      resource: { type: 4, message: { content: 'hi', author: { id: ld.botUserId }, channel_id: ld.channels.general, webhook_id: ld.applicationId } },
    });
    expect((await handle.waitForReply()).message!.content).toBe('hi');

    const second = await api('POST', callback, { type: 4, data: { content: 'again', allowed_mentions: noPings } });
    expect(second).toMatchObject({ status: 400, json: { code: 40060, message: 'Interaction has already been acknowledged.' } });
    expect(handle.callbacks.map((c) => c.type)).toEqual([4, 4]);
    expect(ld.violations).toEqual([expect.stringMatching(/second acknowledgement/)]);
    ld.violations.length = 0;
  });

  it('defer, then edits of @original (sent as %40original) and multipart follow-ups', async () => {
    const handle = ld.slashCommand(ld.members.bob, 'stats');
    const base = `/webhooks/${ld.applicationId}/${handle.token}`;
    expect((await api('POST', `${base}?wait=true`, { content: 'too early', allowed_mentions: noPings })).status).toBe(404);
    expect(ld.violations).toEqual([expect.stringMatching(/follow-up before the interaction was acknowledged/)]);
    ld.violations.length = 0;

    expect((await api('POST', `/interactions/${handle.id}/${handle.token}/callback`, { type: 5, data: { flags: 64 } })).status).toBe(204);
    const ack = await handle.waitForAck();
    expect(ack).toMatchObject({ type: 5, ephemeral: true });
    const edited = await api('PATCH', `${base}/messages/%40original`, { content: 'done', allowed_mentions: noPings });
    expect(edited).toMatchObject({ status: 200, json: { content: 'done', flags: 64 } });
    expect((await handle.waitForReply()).message!.content).toBe('done');

    const form = new FormData();
    form.append('payload_json', JSON.stringify({ content: 'a follow-up', flags: 64, allowed_mentions: noPings }));
    const followUp = await fetch(`${ld.apiUrl}/v10${base}?wait=true`, { method: 'POST', body: form });
    expect(followUp.status).toBe(200);
    expect(handle.followUps().map((m) => [m.content, m.flags])).toEqual([['a follow-up', 64]]);
    expect(handle.edits().map((m) => m.content)).toEqual(['done']);
    expect(handle.original()!.content).toBe('done');
    expect((await api('GET', `${base}/messages/@original`)).json).toMatchObject({ content: 'done' });
    expect(ld.violations).toEqual([]);
  });

  it('buttons: an update (7) edits the message the button is on; a deferred update (6) then PATCH @original edits it too', async () => {
    const row = (id: string) => [{ type: 1, components: [{ type: 2, style: 2, label: 'Go', custom_id: id }] }];
    const posted = await api('POST', `/channels/${ld.channels.general}/messages`, { content: 'pick', components: row('go:1'), allowed_mentions: noPings });
    const message = ld.messages(ld.channels.general).find((m) => m.id === posted.json!.id)!;

    const update = ld.pressButton(ld.members.bob, message, 'go:1');
    await api('POST', `/interactions/${update.id}/${update.token}/callback`, { type: 7, data: { content: 'picked', components: row('go:2'), allowed_mentions: noPings } });
    const updated = await update.waitForReply();
    expect(updated).toMatchObject({ type: 7, ephemeral: false, message: { id: message.id, content: 'picked' } });

    const later = ld.pressButton(ld.members.bob, updated.message!, 'go:2');
    await api('POST', `/interactions/${later.id}/${later.token}/callback`, { type: 6 });
    expect((await later.waitForAck()).type).toBe(6);
    await api('PATCH', `/webhooks/${ld.applicationId}/${later.token}/messages/@original`, { content: 'done', components: [], allowed_mentions: noPings });
    expect((await later.waitForReply()).message).toMatchObject({ id: message.id, content: 'done', components: [] });
    expect(ld.messages(ld.channels.general).find((m) => m.id === message.id)!.edited_timestamp).toEqual(expect.any(String));
    expect(() => ld.pressButton(ld.members.bob, updated.message!, 'go:2')).toThrow(/no button go:2/);
    expect(ld.violations).toEqual([]);
  });

  it('records spec and limit violations: missing allowed_mentions, pings, oversized content and embeds, 26 choices', async () => {
    const send = (body: unknown) => api('POST', `/channels/${ld.channels.general}/messages`, body);
    expect((await send({ content: 'no allowed_mentions' })).status).toBe(200);
    await send({ content: 'pings', allowed_mentions: { parse: ['everyone', 'roles'] } });
    await send({ content: 'x'.repeat(2001), allowed_mentions: noPings });
    await send({ embeds: [{ title: 't'.repeat(257), description: 'd'.repeat(4000), fields: [{ name: 'n', value: 'v'.repeat(1025) }] }, { description: 'e'.repeat(1000) }], allowed_mentions: noPings });
    await send({ content: 'ok', embeds: 'not an array', allowed_mentions: noPings });
    const v = ld.violations.join('\n');
    expect(v).toMatch(/allowed_mentions is missing/);
    expect(v).toMatch(/allowed_mentions.parse allows "everyone"/);
    expect(v).toMatch(/allowed_mentions.parse allows "roles"/);
    expect(v).toMatch(/content has 2001 characters \(max 2000\)/);
    expect(v).toMatch(/embeds\[0\]\.title has 257 characters/);
    expect(v).toMatch(/embeds\[0\]\.fields\[0\]\.value has 1025 characters/);
    expect(v).toMatch(/embeds have \d+ characters in all \(max 6000\)/);
    expect(v).toMatch(/does not match the OpenAPI schema of POST \/channels\/\{channel_id\}\/messages/);
    ld.violations.length = 0;

    const handle = ld.autocomplete(ld.members.alice, 'source', { file: 'a' }, 'file');
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: `file ${i}`, value: `f${i}` }));
    expect((await api('POST', `/interactions/${handle.id}/${handle.token}/callback`, { type: 8, data: { choices } })).status).toBe(204);
    expect((await handle.waitForReply()).choices).toHaveLength(26);
    expect(ld.violations.join('\n')).toMatch(/26 autocomplete choices \(max 25\)/);
    ld.violations.length = 0;
  });

  it('fails to start, naming the path, when the spec it is given cannot be read', async () => {
    await expect(startLocalDiscord({ log: () => {}, spec: '/nonexistent/openapi.json' })).rejects.toThrow("Discord's OpenAPI spec cannot be read at /nonexistent/openapi.json");
  });

  it('refuses an acknowledgement after the deadline (10062), as Discord does', async () => {
    const quick = await startLocalDiscord({ log: () => {}, interactionDeadlineMs: 200 });
    try {
      const handle = quick.slashCommand(quick.members.alice, 'help');
      await new Promise((resolve) => setTimeout(resolve, 250));
      const late = await fetch(`${quick.apiUrl}/v10/interactions/${handle.id}/${handle.token}/callback`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 4, data: { content: 'late', allowed_mentions: noPings } }),
      });
      expect(late.status).toBe(404);
      expect(await late.json()).toMatchObject({ code: 10062, message: 'Unknown interaction' });
      expect(quick.violations).toEqual([expect.stringMatching(/acknowledged after \d+ ms \(Discord's deadline is 200 ms\)/)]);
    } finally {
      await quick.close();
    }
  });
});
