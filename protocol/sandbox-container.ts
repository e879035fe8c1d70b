// Messages between the Containers provider, the SandboxContainer Durable Object and the server
// inside each container. Routes the container server shares with the sandbox host keep the host's
// schemas (protocol/sandbox-host.ts); these are the ones only containers have.
import { z } from "zod";
import { BuildStepSchema, LimitsSchema, SandboxSchema } from "./sandbox-host.ts";

/** What a container is for: a session's sandbox, one image build, or git with one remote. */
export const ContainerRoleSchema = z.enum(["sandbox", "build", "git"]);
export type ContainerRole = z.infer<typeof ContainerRoleSchema>;

/** Named Cloudflare Containers instance types, smallest first. */
export const InstanceTypeSchema = z.enum([
  "lite",
  "basic",
  "standard-1",
  "standard-2",
  "standard-3",
  "standard-4",
]);
export type InstanceType = z.infer<typeof InstanceTypeSchema>;

/** POST /container on the Durable Object: start its container, once. */
export const StartContainerRequestSchema = z.object({
  role: ContainerRoleSchema,
  /** Whether the container may reach the internet (never for a session's sandbox). */
  internet: z.boolean(),
  instance: InstanceTypeSchema.optional(),
  /** The sandbox this container is (sandbox role). */
  sandbox: SandboxSchema.optional(),
});
export type StartContainerRequest = z.infer<typeof StartContainerRequestSchema>;

/** GET /container on the Durable Object: what it holds. */
export const ContainerStateSchema = z.object({
  role: ContainerRoleSchema,
  running: z.boolean(),
  startedAt: z.number(),
  sandbox: SandboxSchema.nullable(),
  /** Why the container stopped, once it has. */
  exit: z.string().nullable(),
});
export type ContainerState = z.infer<typeof ContainerStateSchema>;

/** POST /v1/sandboxes/:id/agent: start the in-sandbox agent once the workspace is in place. */
export const StartAgentRequestSchema = z.object({
  env: z.record(z.string(), z.string()).default({}),
  limits: LimitsSchema,
});
export type StartAgentRequest = z.input<typeof StartAgentRequestSchema>;

/** POST /v1/sandboxes/:id/git/apply: check out `commit` on `workBranch`, from the bundle in the body. */
export const GitApplyQuerySchema = z.object({
  branch: z.string().min(1).max(255),
  commit: z.string().regex(/^[0-9a-f]{40,64}$/),
  workBranch: z.string().min(1).max(255),
});

/** POST /v1/sandboxes/:id/git/bundle: bundle the work branch (from `base` on, when given). */
export const GitBundleRequestSchema = z.object({
  workBranch: z.string().min(1).max(255),
  base: z.string().nullable(),
});

/** The header that carries the commit a bundle leads to. */
export const COMMIT_HEADER = "x-tandem-commit";

const CredentialSchema = z.object({
  username: z.string().max(200),
  password: z.string().max(2_000),
});

/** git role: what every request to the remote names. */
const RemoteSchema = z.object({
  cloneUrl: z.string().min(1).max(2_000),
  credential: CredentialSchema.optional(),
});

/** POST /v1/git/resolve → `{ commit }`. */
export const GitResolveRequestSchema = RemoteSchema.extend({ branch: z.string().min(1).max(255) });

/** POST /v1/git/files → `{ files }`: regular files at a commit (null: absent; symlinks refused). */
export const GitFilesRequestSchema = RemoteSchema.extend({
  commit: z.string().regex(/^[0-9a-f]{7,64}$/),
  paths: z.array(z.string().min(1).max(4_096)).max(16),
});
export const GitFilesResultSchema = z.object({
  files: z.record(z.string(), z.string().nullable()),
});

/** POST /v1/git/clone-bundle → bundle bytes: the history up to `commit`, for an image build. */
export const GitCloneBundleRequestSchema = RemoteSchema.extend({
  commit: z.string().regex(/^[0-9a-f]{7,64}$/),
});

/** POST /v1/git/fetch → bundle bytes (empty when the workspace has `commit` already) and the commit header. */
export const GitFetchRequestSchema = RemoteSchema.extend({
  branch: z.string().min(1).max(255),
  base: z.string().nullable(),
});

/** POST /v1/git/push, framed: this, then the work branch's bundle. → GitPushResult. */
export const GitPushFrameSchema = RemoteSchema.extend({
  workBranch: z.string().min(1).max(255),
  branch: z.string().min(1).max(255),
  force: z.boolean(),
});

/** POST /v1/build, framed: this, then the bundle the workspace is cloned from. */
export const BuildPlanSchema = z.object({
  cloneUrl: z.string().min(1).max(2_000),
  commit: z.string().regex(/^[0-9a-f]{7,64}$/),
  steps: z.array(BuildStepSchema),
  env: z.record(z.string(), z.string()),
});
export type BuildPlan = z.infer<typeof BuildPlanSchema>;

/** Lines of the NDJSON stream POST /v1/build answers with. */
export const ContainerBuildEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("log"),
    step: z.string(),
    stream: z.enum(["stdout", "stderr", "system"]),
    text: z.string(),
  }),
  z.object({
    type: z.literal("done"),
    steps: z.array(
      z.object({ name: z.string(), exitCode: z.number().int().nullable(), durationMs: z.number() }),
    ),
    sizeBytes: z.number().int(),
  }),
  z.object({ type: z.literal("failed"), step: z.string().nullable(), message: z.string() }),
]);
export type ContainerBuildEvent = z.infer<typeof ContainerBuildEventSchema>;
