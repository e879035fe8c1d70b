// Share links: created by the owner with a role, joined by whoever holds the token, revocable.
import type { ShareLink } from "../../protocol/api.ts";
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { Person, Role, ShareRole } from "../../protocol/events.ts";
import { randomSecret, sha256Hex } from "../../crypto/digest.ts";
import { strongerRole } from "../../protocol/roles.ts";
import type { RoomContext } from "./room-context.ts";
import type { ShareLinkRow } from "./store.ts";

/** A new share link with its secret token, shown once. */
export interface CreatedShareLink {
  link: ShareLink;
  token: string;
}

const HOUR_MS = 3_600_000;

function toShareLink(row: ShareLinkRow): ShareLink {
  return {
    id: row.id,
    role: row.role,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

/** The room's share links. Tokens are stored only as SHA-256 hashes. */
export class ShareLinks {
  private readonly room: RoomContext;
  constructor(room: RoomContext) {
    this.room = room;
  }

  /** Creates a link granting `role`; the token is returned once. */
  async create(
    userId: string,
    role: ShareRole,
    expiresInHours?: number,
  ): Promise<Result<CreatedShareLink>> {
    const token = randomSecret("tsl");
    const tokenHash = await sha256Hex(token);
    // Checked after the await: the role is read at the moment the link is written.
    const allowed = this.room.authorize(userId, "share");
    if (!allowed.ok) return allowed;
    const at = this.room.now();
    const row: ShareLinkRow = {
      id: this.room.id("shr"),
      tokenHash,
      role,
      createdBy: userId,
      createdAt: at,
      expiresAt: expiresInHours ? at + expiresInHours * HOUR_MS : null,
      revokedAt: null,
    };
    this.room.store.insertShareLink(row);
    this.room.record({
      type: "share_link.created",
      actor: allowed.value.person,
      data: { linkId: row.id, role },
    });
    return ok({ link: toShareLink(row), token });
  }

  list(userId: string): Result<ShareLink[]> {
    const allowed = this.room.authorize(userId, "share");
    if (!allowed.ok) return allowed;
    return ok(this.room.store.shareLinks().map(toShareLink));
  }

  /** Revokes a link: nobody new joins with it; people who joined stay. */
  revoke(userId: string, linkId: string): Result<ShareLink> {
    const allowed = this.room.authorize(userId, "share");
    if (!allowed.ok) return allowed;
    const store = this.room.store;
    if (!store.shareLink(linkId))
      return fail("not_found", "No share link with that id in this session.");
    if (store.revokeShareLink(linkId, this.room.now())) {
      this.room.record({
        type: "share_link.revoked",
        actor: allowed.value.person,
        data: { linkId },
      });
    }
    return ok(toShareLink(store.shareLink(linkId)!));
  }

  /** Makes the holder of a valid link a participant with the link's role (never a weaker one). */
  async join(person: Person, token: string): Promise<Result<{ role: Role; sessionId: string }>> {
    const tokenHash = await sha256Hex(token);
    const store = this.room.store;
    const meta = store.meta();
    const link = store.shareLinkByHash(tokenHash);
    if (!meta || !link) return fail("not_found", "This share link is not valid.");
    if (link.revokedAt !== null)
      return fail("link_revoked", "This share link was revoked by the session owner.");
    const at = this.room.now();
    if (link.expiresAt !== null && link.expiresAt <= at)
      return fail("link_revoked", "This share link has expired.");
    const current = store.participant(person.userId);
    const role = current ? strongerRole(current.role, link.role) : link.role;
    store.upsertParticipant(person, role, current?.joinedAt ?? at);
    if (!current) {
      this.room.record({
        type: "participant.joined",
        actor: person,
        data: { person, role, via: "share_link" },
      });
    } else if (current.role !== role) {
      this.room.record({ type: "participant.role_changed", actor: person, data: { person, role } });
    }
    this.room.broadcastPresence();
    return ok({ role, sessionId: meta.id });
  }
}
