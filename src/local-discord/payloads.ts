/**
 * Typed builders for what the local Discord-compatible server sends: users, members, roles,
 * channels, threads, messages, GUILD_CREATE and interactions. They are typed with
 * discord-api-types so that a field Discord always sends (and discord.js relies on) cannot
 * be forgotten without a compile error.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIEmbed,
  type APIGuildInteractionWrapper,
  type APIGuildMember,
  type APIGuildTextChannel,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIRole,
  type APIThreadChannel,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayMessageCreateDispatchData,
  type APIGuildMemberNoUser,
  type APIUserWithMember,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
  type UserFlags,
} from 'discord-api-types/v10';

export type GuildButtonInteraction = APIGuildInteractionWrapper<APIMessageComponentButtonInteraction>;

export interface Person {
  user: APIUser;
  roles: string[];
  permissions: bigint;
  joinedAt: string;
}

export function makeUser(id: string, username: string, bot = false): APIUser {
  return {
    id,
    username,
    discriminator: bot ? '0001' : '0',
    global_name: bot ? null : username[0]!.toUpperCase() + username.slice(1),
    avatar: null,
    bot,
    system: false,
    banner: null,
    accent_color: null,
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    avatar_decoration_data: null,
    primary_guild: null,
  };
}

export function memberNoUser(person: Person): APIGuildMemberNoUser {
  return {
    nick: null,
    avatar: null,
    banner: null,
    roles: [...person.roles],
    joined_at: person.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function guildMember(person: Person): APIGuildMember {
  return { ...memberNoUser(person), user: person.user };
}

export function interactionMember(person: Person): APIInteractionGuildMember {
  return { ...guildMember(person), user: person.user, permissions: person.permissions.toString() };
}

export function makeRole(input: { id: string; name: string; permissions: bigint; position: number; managedBy?: string }): APIRole {
  return {
    id: input.id,
    name: input.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: input.position,
    permissions: input.permissions.toString(),
    managed: input.managedBy !== undefined,
    mentionable: true,
    flags: 0 as RoleFlags,
    ...(input.managedBy ? { tags: { bot_id: input.managedBy } } : {}),
  };
}

export function textChannel(input: { id: string; guildId: string; name: string; position: number }): APIGuildTextChannel<ChannelType.GuildText> {
  return {
    id: input.id,
    type: ChannelType.GuildText,
    guild_id: input.guildId,
    name: input.name,
    position: input.position,
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    permission_overwrites: [],
    default_auto_archive_duration: 1440,
    default_thread_rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
  };
}

export function threadChannel(input: {
  id: string;
  guildId: string;
  parentId: string;
  name: string;
  ownerId: string;
  type?: ChannelType.PublicThread | ChannelType.PrivateThread | ChannelType.AnnouncementThread;
  autoArchive?: 60 | 1440 | 4320 | 10080;
  now: string;
}): APIThreadChannel {
  return {
    id: input.id,
    type: input.type ?? ChannelType.PublicThread,
    guild_id: input.guildId,
    parent_id: input.parentId,
    name: input.name,
    owner_id: input.ownerId,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0 as ChannelFlags,
    applied_tags: [],
    thread_metadata: {
      archived: false,
      auto_archive_duration: input.autoArchive ?? 1440,
      archive_timestamp: input.now,
      locked: false,
      create_timestamp: input.now,
      ...(input.type === ChannelType.PrivateThread ? { invitable: true } : {}),
    },
  };
}

export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  applicationId: string;
  createdAt: string;
  roles: APIRole[];
  channels: Array<APIGuildTextChannel<ChannelType.GuildText>>;
  threads: APIThreadChannel[];
  people: Person[];
}

export function guildCreate(guild: GuildState): GatewayGuildCreateDispatchData {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    region: 'local',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: guild.roles,
    emojis: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.channels[0]?.id ?? null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    stickers: [],
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    joined_at: guild.createdAt,
    large: false,
    unavailable: false,
    member_count: guild.people.length,
    voice_states: [],
    members: guild.people.map(guildMember),
    channels: guild.channels,
    threads: guild.threads,
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export interface MessageInput {
  id: string;
  channelId: string;
  author: APIUser;
  content: string;
  now: string;
  embeds?: APIEmbed[];
  components?: APIMessage['components'];
  flags?: number;
  type?: MessageType;
  mentions?: APIUser[];
  mentionRoles?: string[];
  mentionEveryone?: boolean;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: APIMessage['interaction_metadata'];
  messageReference?: APIMessage['message_reference'];
  referencedMessage?: APIMessage | null;
}

export function makeMessage(input: MessageInput): APIMessage {
  return {
    id: input.id,
    channel_id: input.channelId,
    author: input.author,
    content: input.content,
    timestamp: input.now,
    edited_timestamp: null,
    tts: false,
    mention_everyone: input.mentionEveryone ?? false,
    mentions: input.mentions ?? [],
    mention_roles: input.mentionRoles ?? [],
    attachments: [],
    embeds: input.embeds ?? [],
    reactions: [],
    pinned: false,
    type: input.type ?? MessageType.Default,
    flags: input.flags ?? 0,
    components: input.components ?? [],
    position: 0,
    ...(input.webhookId ? { webhook_id: input.webhookId } : {}),
    ...(input.applicationId ? { application_id: input.applicationId } : {}),
    ...(input.interactionMetadata ? { interaction_metadata: input.interactionMetadata } : {}),
    ...(input.messageReference ? { message_reference: input.messageReference } : {}),
    ...(input.referencedMessage !== undefined ? { referenced_message: input.referencedMessage } : {}),
  };
}

/** MESSAGE_CREATE / MESSAGE_UPDATE data: the message plus guild_id, the author's member and members of mentions. */
export function messageDispatch(
  message: APIMessage,
  guildId: string,
  author: Person | undefined,
  peopleById: (id: string) => Person | undefined,
): GatewayMessageCreateDispatchData {
  const mentions: APIUserWithMember[] = message.mentions.map((user) => {
    const person = peopleById(user.id);
    return person ? { ...user, member: memberNoUser(person) } : user;
  });
  return {
    ...message,
    guild_id: guildId,
    channel_type: undefined,
    ...(author && !message.webhook_id ? { member: memberNoUser(author) } : {}),
    mentions,
  };
}

interface InteractionBase {
  id: string;
  token: string;
  applicationId: string;
  guild: GuildState;
  channel: APIGuildTextChannel<ChannelType.GuildText> | APIThreadChannel;
  person: Person;
  appPermissions: bigint;
}

function baseFields(input: InteractionBase) {
  return {
    id: input.id,
    application_id: input.applicationId,
    token: input.token,
    version: 1 as const,
    guild_id: input.guild.id,
    guild: { id: input.guild.id, features: [], locale: Locale.EnglishUS },
    channel: input.channel,
    channel_id: input.channel.id,
    member: interactionMember(input.person),
    app_permissions: input.appPermissions.toString(),
    locale: Locale.EnglishUS,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: input.guild.id },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

export type OptionValue = string | number | boolean;

/** A slash-command option with its declared type (from the registered definition, or inferred). */
export interface TypedOption {
  name: string;
  type: ApplicationCommandOptionType;
  value: OptionValue;
  focused?: boolean;
}

function optionData(options: TypedOption[]): APIApplicationCommandInteractionDataBasicOption[] {
  return options.map((o) => ({ name: o.name, type: o.type, value: o.value, ...(o.focused ? { focused: true } : {}) }) as APIApplicationCommandInteractionDataBasicOption);
}

export function chatInputInteraction(input: InteractionBase & { commandId: string; name: string; options: TypedOption[] }): APIChatInputApplicationCommandGuildInteraction {
  return {
    ...baseFields(input),
    type: InteractionType.ApplicationCommand,
    data: {
      id: input.commandId,
      name: input.name,
      type: ApplicationCommandType.ChatInput,
      guild_id: input.guild.id,
      ...(input.options.length ? { options: optionData(input.options) } : {}),
    },
  };
}

export function autocompleteInteraction(input: InteractionBase & { commandId: string; name: string; options: TypedOption[] }): APIApplicationCommandAutocompleteGuildInteraction {
  return {
    ...baseFields(input),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: input.commandId,
      name: input.name,
      type: ApplicationCommandType.ChatInput,
      guild_id: input.guild.id,
      options: optionData(input.options),
    },
  };
}

export function buttonInteraction(input: InteractionBase & { message: APIMessage; customId: string }): GuildButtonInteraction {
  return {
    ...baseFields(input),
    type: InteractionType.MessageComponent,
    message: input.message,
    data: { custom_id: input.customId, component_type: ComponentType.Button },
  };
}

export { ApplicationCommandOptionType };
