/**
 * The WebSocket gateway of the local Discord-compatible server (API v10, JSON text frames).
 *
 * HELLO on connect; IDENTIFY → READY then one GUILD_CREATE per guild; HEARTBEAT → HEARTBEAT_ACK;
 * RESUME → the dispatches the session missed, then RESUMED; a wrong token closes with 4004.
 * Every dispatch gets the session's next sequence number and is kept, so a resumed session
 * replays exactly what it missed. Compression: none by default (what @discordjs/ws asks for
 * unless zlib-sync is installed); `compress=zlib-stream` and IDENTIFY's `compress: true` are
 * supported too. `encoding=etf`, other API versions and other transport compressions are refused
 * with close code 4012 and a reason.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes, type GatewayReadyDispatchData } from 'discord-api-types/v10';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export interface GatewayOptions {
  token: string;
  /** `ws://127.0.0.1:PORT/gateway`, also the resume URL. */
  url: () => string;
  heartbeatIntervalMs: number;
  ready(sessionId: string): GatewayReadyDispatchData;
  /** GUILD_CREATE payloads sent after READY. */
  guildCreates(): Array<{ id: string }>;
  /** Called after READY and the GUILD_CREATEs of a session are sent. */
  onIdentified(session: GatewaySession): void;
  log(line: string): void;
}

/** Dispatches kept per session for RESUME. */
const KEPT_DISPATCHES = 5000;

interface Dispatch {
  s: number;
  t: string;
  d: unknown;
}

export class GatewaySession {
  seq = 0;
  readonly log: Dispatch[] = [];
  connection: Connection | undefined;
  invalid = false;
  constructor(
    readonly id: string,
    readonly intents: number,
  ) {}

  has(intent: number): boolean {
    return (this.intents & intent) === intent;
  }
}

interface Connection {
  ws: WebSocket;
  session?: GatewaySession;
  /** Sequence sent on this socket (dispatches are only sent once identified or resumed). */
  live: boolean;
  identifyCompress: boolean;
  deflate?: zlib.Deflate;
  sendChain: Promise<void>;
  lastHeartbeat: number;
  timer?: NodeJS.Timeout;
}

const HEARTBEAT_GRACE_MS = 10_000;

export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly sessions = new Map<string, GatewaySession>();
  private readonly connections = new Set<Connection>();
  /** What happened on the gateway, one line each: `identify …`, `resume …`, `invalid-session …`, `close …` (by the server), `disconnect …` (by the client). */
  readonly events: string[] = [];

  constructor(private readonly options: GatewayOptions) {}

  /** Live (identified, not invalidated) sessions. */
  liveSessions(): GatewaySession[] {
    return [...this.sessions.values()].filter((s) => !s.invalid);
  }

  /** Takes over an HTTP upgrade request for the gateway path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    this.wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, url.searchParams));
  }

  /**
   * Sends a dispatch to every live session that has the intent (if one is given), numbering
   * it in each session; sessions whose socket is closed keep it for RESUME.
   */
  dispatch(t: string, d: unknown, intent?: number): void {
    for (const session of this.liveSessions()) {
      if (intent !== undefined && !session.has(intent)) continue;
      this.dispatchTo(session, t, d);
    }
  }

  /** Sends one dispatch to one session (numbered in it). */
  dispatchTo(session: GatewaySession, t: string, d: unknown): void {
    const entry = { s: ++session.seq, t, d };
    session.log.push(entry);
    if (session.log.length > KEPT_DISPATCHES) session.log.splice(0, session.log.length - KEPT_DISPATCHES);
    const connection = session.connection;
    if (connection?.live) this.send(connection, { op: GatewayOpcodes.Dispatch, ...entry });
  }

  /** Closes every bot socket with `code`; sessions stay resumable unless the code says otherwise. */
  closeConnections(code = 4000, reason = 'closed by the local server'): void {
    for (const connection of [...this.connections]) this.closeConnection(connection, code, reason);
  }

  async close(): Promise<void> {
    this.closeConnections(1001, 'server shutting down');
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket, query: URLSearchParams): void {
    const connection: Connection = { ws, live: false, identifyCompress: false, sendChain: Promise.resolve(), lastHeartbeat: Date.now() };
    this.connections.add(connection);
    ws.on('close', (code) => this.onClose(connection, code));
    ws.on('error', (error) => this.options.log(`gateway socket error: ${error.message}`));

    const version = query.get('v');
    const encoding = query.get('encoding') ?? 'json';
    const compress = query.get('compress');
    if (version !== null && version !== '10') return this.closeConnection(connection, GatewayCloseCodes.InvalidAPIVersion, `API version ${version} is not supported (only v=10)`);
    if (encoding !== 'json') return this.closeConnection(connection, GatewayCloseCodes.InvalidAPIVersion, `encoding=${encoding} is not supported by this local server (only json)`);
    if (compress !== null && compress !== 'zlib-stream') return this.closeConnection(connection, GatewayCloseCodes.InvalidAPIVersion, `compress=${compress} is not supported by this local server (only zlib-stream)`);
    if (compress === 'zlib-stream') connection.deflate = zlib.createDeflate({ chunkSize: 65535 });

    ws.on('message', (data, isBinary) => this.onMessage(connection, data, isBinary));
    this.send(connection, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
    connection.timer = setInterval(() => {
      if (Date.now() - connection.lastHeartbeat > this.options.heartbeatIntervalMs + HEARTBEAT_GRACE_MS) {
        this.closeConnection(connection, GatewayCloseCodes.SessionTimedOut, 'no heartbeat');
      }
    }, Math.min(this.options.heartbeatIntervalMs, 5000));
    connection.timer.unref();
  }

  private onMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      if (isBinary) throw new Error('binary frame');
      payload = JSON.parse(String(data)) as { op?: unknown; d?: unknown };
    } catch {
      return this.closeConnection(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    }
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        connection.lastHeartbeat = Date.now();
        return this.send(connection, { op: GatewayOpcodes.HeartbeatAck });
      case GatewayOpcodes.Identify:
        return this.identify(connection, payload.d as Record<string, unknown> | undefined);
      case GatewayOpcodes.Resume:
        return this.resume(connection, payload.d as Record<string, unknown> | undefined);
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
      case GatewayOpcodes.RequestSoundboardSounds:
        if (!connection.session) return this.closeConnection(connection, GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        return; // accepted, nothing to do in this small server
      default:
        return this.closeConnection(connection, GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  }

  private tokenMatches(token: unknown): boolean {
    return typeof token === 'string' && token.replace(/^Bot\s+/i, '') === this.options.token;
  }

  private identify(connection: Connection, d: Record<string, unknown> | undefined): void {
    if (connection.session) return this.closeConnection(connection, GatewayCloseCodes.AlreadyAuthenticated, 'You sent more than one identify payload.');
    if (!d || !this.tokenMatches(d.token)) return this.closeConnection(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    if (typeof d.intents !== 'number' || !Number.isInteger(d.intents) || d.intents < 0 || d.intents >= 2 ** 26) {
      return this.closeConnection(connection, GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
    }
    const shard = d.shard;
    if (shard !== undefined && (!Array.isArray(shard) || shard[0] !== 0 || shard[1] !== 1)) {
      return this.closeConnection(connection, GatewayCloseCodes.InvalidShard, 'Invalid shard (this server has one shard: [0, 1]).');
    }
    connection.identifyCompress = d.compress === true && !connection.deflate;
    const session = new GatewaySession(randomBytes(16).toString('hex'), d.intents);
    this.sessions.set(session.id, session);
    session.connection = connection;
    connection.session = session;
    connection.live = true;
    this.dispatchTo(session, GatewayDispatchEvents.Ready, this.options.ready(session.id));
    for (const guild of this.options.guildCreates()) this.dispatchTo(session, GatewayDispatchEvents.GuildCreate, guild);
    this.events.push(`identify ${session.id.slice(0, 8)} intents ${session.intents}`);
    this.options.onIdentified(session);
  }

  private resume(connection: Connection, d: Record<string, unknown> | undefined): void {
    if (connection.session) return this.closeConnection(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
    if (!d || !this.tokenMatches(d.token)) return this.closeConnection(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d.seq === 'number' ? d.seq : -1;
    const oldest = session?.log[0]?.s ?? 1;
    if (!session || session.invalid || seq > session.seq || seq + 1 < oldest) {
      this.events.push(`invalid-session resume of ${String(d?.session_id).slice(0, 8)} at seq ${seq}`);
      this.send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    if (session.connection && session.connection !== connection) this.closeConnection(session.connection, GatewayCloseCodes.SessionTimedOut, 'resumed elsewhere', false);
    session.connection = connection;
    connection.session = session;
    let replayed = 0;
    for (const entry of session.log) {
      if (entry.s <= seq) continue;
      this.send(connection, { op: GatewayOpcodes.Dispatch, ...entry });
      replayed++;
    }
    connection.live = true;
    this.dispatchTo(session, GatewayDispatchEvents.Resumed, null);
    this.events.push(`resume ${session.id.slice(0, 8)} from seq ${seq}, replayed ${replayed}`);
  }

  private send(connection: Connection, payload: object): void {
    const { ws } = connection;
    if (ws.readyState !== WebSocket.OPEN) return;
    const text = JSON.stringify(payload);
    if (connection.deflate) {
      const deflate = connection.deflate;
      connection.sendChain = connection.sendChain.then(
        () =>
          new Promise<void>((resolve) => {
            const chunks: Buffer[] = [];
            const onData = (chunk: Buffer) => chunks.push(chunk);
            deflate.on('data', onData);
            deflate.write(text);
            deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
              deflate.off('data', onData);
              if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat(chunks), { binary: true });
              resolve();
            });
          }),
      );
    } else if (connection.identifyCompress && connection.live) {
      ws.send(zlib.deflateSync(text), { binary: true });
    } else {
      ws.send(text);
    }
  }

  /** Closes one socket; `invalidate` ends its session (no RESUME) — the default for codes that do. */
  private closeConnection(connection: Connection, code: number, reason: string, invalidate = !isResumableClose(code)): void {
    if (connection.live || connection.session || code !== 1001) this.events.push(`close ${code} ${reason}`);
    connection.live = false;
    if (connection.session && invalidate) connection.session.invalid = true;
    const close = () => {
      if (connection.ws.readyState === WebSocket.OPEN || connection.ws.readyState === WebSocket.CONNECTING) connection.ws.close(code, reason);
    };
    void connection.sendChain.then(close);
  }

  private onClose(connection: Connection, code: number): void {
    clearInterval(connection.timer);
    connection.live = false;
    this.connections.delete(connection);
    connection.deflate?.close();
    const session = connection.session;
    this.events.push(`disconnect ${code}${session ? ` ${session.id.slice(0, 8)}` : ''}`);
    if (!session) return;
    if (session.connection === connection) session.connection = undefined;
    // A client closing with 1000 or 1001 ends its session, as on Discord.
    if (code === 1000 || code === 1001) session.invalid = true;
    if (session.invalid) this.sessions.delete(session.id);
  }
}

/** Close codes after which Discord lets the client RESUME. */
function isResumableClose(code: number): boolean {
  return ![
    1000,
    1001,
    GatewayCloseCodes.AuthenticationFailed,
    GatewayCloseCodes.InvalidShard,
    GatewayCloseCodes.ShardingRequired,
    GatewayCloseCodes.InvalidAPIVersion,
    GatewayCloseCodes.InvalidIntents,
    GatewayCloseCodes.DisallowedIntents,
    GatewayCloseCodes.InvalidSeq,
    GatewayCloseCodes.SessionTimedOut,
  ].includes(code);
}

export { GatewayIntentBits };
