// The App and its installations as GitHub's REST API writes them (`integration`, `installation`).
import type { Installation, World } from "../state/world.ts";
import { simpleUser } from "./user.ts";

/** The `integration` object of `GET /app`. */
export function integration(world: World) {
  const { app } = world;
  return {
    id: app.id,
    slug: app.slug,
    client_id: app.clientId,
    node_id: app.nodeId,
    owner: simpleUser(world, app.owner),
    name: app.name,
    description: "Tandem's GitHub App (GitHub stand-in)",
    external_url: world.baseUrl,
    html_url: `${world.baseUrl}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: { ...app.permissions, metadata: app.permissions.metadata ?? "read" },
    events: app.events,
    installations_count: world.installations.length,
  };
}

/** The `installation` object. */
export function installation(world: World, found: Installation) {
  const { app } = world;
  return {
    id: found.id,
    client_id: app.clientId,
    account: simpleUser(world, found.account),
    repository_selection: found.selection,
    access_tokens_url: `${world.baseUrl}/app/installations/${found.id}/access_tokens`,
    repositories_url: `${world.baseUrl}/installation/repositories`,
    html_url: `${world.baseUrl}/settings/installations/${found.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: found.account.id,
    target_type: found.account.type === "Bot" ? "User" : found.account.type,
    permissions: { ...app.permissions, metadata: app.permissions.metadata ?? "read" },
    events: app.events,
    created_at: found.createdAt,
    updated_at: found.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}
