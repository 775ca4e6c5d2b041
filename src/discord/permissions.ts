import { PermissionFlagsBits } from 'discord-api-types/v10';

/**
 * Who may `/reindex`: Manage Server, or a role listed in MODERATOR_ROLE_IDS. Checked at
 * run time as well as through `default_member_permissions`, because server admins can
 * override command permissions.
 */
export function canReindex(permissions: bigint | null | undefined, roleIds: readonly string[], moderatorRoleIds: readonly string[]): boolean {
  const perms = permissions ?? 0n;
  if ((perms & PermissionFlagsBits.ManageGuild) === PermissionFlagsBits.ManageGuild) return true;
  if ((perms & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator) return true;
  return roleIds.some((id) => moderatorRoleIds.includes(id));
}
