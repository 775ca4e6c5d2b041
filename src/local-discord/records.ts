/**
 * What the local Discord remembers of a conversation, and the test driver's handles on it:
 * stored messages, interactions with their acknowledgement and replies, and waiters that
 * resolve when what they watch changes.
 */
import { MessageFlags, type APIEmbed, type APIMessage, type APIUser } from 'discord-api-types/v10';
import type { Person } from './payloads.ts';
export interface LocalMember {
  id: string;
  username: string;
  roles: string[];
  permissions: bigint;
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: APIEmbed[];
  components: unknown[];
  flags: number;
  allowed_mentions?: unknown;
  message_reference?: unknown;
  author: APIUser;
  /** interaction this message answers, if any */
  interactionId?: string;
  /** when it was posted and last edited (ISO 8601) */
  timestamp?: string;
  edited_timestamp?: string | null;
}

export interface BotReply {
  /** callback type (4, 5, 6, 7, 8, 9) */
  type: number;
  message?: StoredMessage;
  ephemeral: boolean;
  choices?: Array<{ name: string; value: string | number }>;
}

export interface InteractionHandle {
  id: string;
  token: string;
  dispatchedAt: number;
  /** all callbacks received for this interaction (type, body, at = performance.now()) */
  callbacks: Array<{ type: number; body: unknown; at: number }>;
  /** resolves at the first callback */
  waitForAck(timeoutMs?: number): Promise<BotReply>;
  /**
   * resolves with the visible result: the type-4/7 message, or after a type-5/6 defer the
   * first PATCH of @original that has content/embeds (or the first follow-up); for
   * autocomplete (8) the choices
   */
  waitForReply(timeoutMs?: number): Promise<BotReply>;
  /** the current @original message (after edits) and follow-ups */
  original(): StoredMessage | undefined;
  followUps(): StoredMessage[];
  edits(): StoredMessage[];
}

/** What this server's helpers return: an InteractionHandle with waits for later edits and follow-ups. */
export interface LocalInteraction extends InteractionHandle {
  /** resolves with the first edit of @original (past or future) that matches */
  waitForEdit(predicate?: (m: StoredMessage) => boolean, timeoutMs?: number): Promise<StoredMessage>;
  /** resolves with the first follow-up (past or future) that matches */
  waitForFollowUp(predicate?: (m: StoredMessage) => boolean, timeoutMs?: number): Promise<StoredMessage>;
}

export interface RequestRecord {
  method: string;
  path: string;
  body: unknown;
  status: number;
  at: number;
}


/** How long a driver's wait lasts before it fails. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** A waiter: re-checked on every change of what it watches, until it returns a value or times out. */
export class Waiters {
  private readonly waiters = new Set<() => boolean>();
  private closed: Error | undefined;

  wait<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    if (this.closed) return Promise.reject(this.closed);
    return new Promise<T>((resolve, reject) => {
      const waiter = () => {
        const value = check();
        if (value === undefined) return false;
        clearTimeout(timer);
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      (waiter as { reject?: (e: Error) => void }).reject = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      this.waiters.add(waiter);
    });
  }

  notify(): void {
    for (const waiter of [...this.waiters]) if (waiter()) this.waiters.delete(waiter);
  }

  close(error: Error): void {
    this.closed = error;
    for (const waiter of this.waiters) (waiter as { reject?: (e: Error) => void }).reject?.(error);
    this.waiters.clear();
  }
}

export interface MessageRecord {
  api: APIMessage;
  interactionId?: string;
  allowedMentions?: unknown;
  messageReference?: unknown;
}

export type InteractionKind = 'command' | 'autocomplete' | 'button';

export class InteractionRecord implements LocalInteraction {
  readonly callbacks: Array<{ type: number; body: unknown; at: number }> = [];
  dispatchedAt = 0;
  originalId: string | undefined;
  /** The message shown by a type 4 or 7 callback, as it was then. */
  callbackMessage: StoredMessage | undefined;
  choices: Array<{ name: string; value: string | number }> | undefined;
  readonly editSnapshots: StoredMessage[] = [];
  readonly followUpIds: string[] = [];
  readonly waiters = new Waiters();

  constructor(
    readonly id: string,
    readonly token: string,
    readonly kind: InteractionKind,
    readonly channelId: string,
    readonly person: Person,
    /** Where the messages it names are read, as they are now. */
    private readonly store: { snapshot(id: string): StoredMessage | undefined },
    /** The message a button was on. */
    readonly sourceMessageId?: string,
  ) {}

  get acknowledged(): boolean {
    return this.callbacks.length > 0;
  }

  private replyFrom(type: number, message: StoredMessage | undefined): BotReply {
    return {
      type,
      ...(message ? { message } : {}),
      ephemeral: ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
      ...(this.choices ? { choices: this.choices } : {}),
    };
  }

  waitForAck(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<BotReply> {
    return this.waiters.wait(
      () => {
        const first = this.callbacks[0];
        if (!first) return undefined;
        const message = first.type === 4 || first.type === 7 ? this.callbackMessage : this.originalId ? this.store.snapshot(this.originalId) : undefined;
        return this.replyFrom(first.type, message);
      },
      timeoutMs,
      `the acknowledgement of interaction ${this.id}`,
    );
  }

  waitForReply(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<BotReply> {
    return this.waiters.wait(
      () => {
        const first = this.callbacks[0];
        if (!first) return undefined;
        if (first.type === 4 || first.type === 7) return this.replyFrom(first.type, this.callbackMessage);
        if (first.type === 8 || first.type === 9) return this.replyFrom(first.type, undefined);
        const edit = this.editSnapshots.find((m) => m.content || m.embeds.length);
        if (edit) return this.replyFrom(first.type, edit);
        const followUp = this.followUps()[0];
        if (followUp) return this.replyFrom(first.type, followUp);
        return undefined;
      },
      timeoutMs,
      `the reply to interaction ${this.id}`,
    );
  }

  original(): StoredMessage | undefined {
    return this.originalId ? this.store.snapshot(this.originalId) : undefined;
  }

  followUps(): StoredMessage[] {
    return this.followUpIds.map((id) => this.store.snapshot(id)).filter((m): m is StoredMessage => m !== undefined);
  }

  edits(): StoredMessage[] {
    return [...this.editSnapshots];
  }

  waitForEdit(predicate: (m: StoredMessage) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<StoredMessage> {
    return this.waiters.wait(() => this.editSnapshots.find(predicate), timeoutMs, `an edit of interaction ${this.id}'s reply`);
  }

  waitForFollowUp(predicate: (m: StoredMessage) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<StoredMessage> {
    return this.waiters.wait(() => this.followUps().find(predicate), timeoutMs, `a follow-up of interaction ${this.id}`);
  }
}
