/**
 * What every Discord renderer returns (`ReplyPayload`, sent by `respond.ts`, checked by
 * `limits.ts`), the colours they share, and the one-line notices.
 */
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord-api-types/v10';

export interface ReplyPayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: Array<APIActionRowComponent<APIButtonComponent>>;
  /** Only the person who asked sees it (interactions only). */
  ephemeral?: boolean;
}

export interface RenderOptions {
  /** Makes references links (`SOURCE_BASE_URL`). */
  sourceBaseUrl?: string;
}

export const COLOR_ANSWER = 0x2f81f7;
export const COLOR_NOT_FOUND = 0x9198a1;
export const COLOR_ADMIN = 0xd29922;

export function renderError(ref: string): ReplyPayload {
  return { ephemeral: true, content: `Something went wrong (ref ${ref}). It has been logged; please try again.` };
}

export function renderNotice(text: string): ReplyPayload {
  return { ephemeral: true, content: text };
}
