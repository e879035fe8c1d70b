// Routing across spaces: an organisation's guide to its repositories and environments, and where
// a request goes.
import { z } from "zod";
import { RepoSchema } from "./api.ts";

/** The most spaces one guide holds. */
export const MAX_SPACES = 50;
/** The most topics one space lists as covered. */
export const MAX_COVERAGE_TOPICS = 30;
/** The longest purpose of a space, in characters. */
export const MAX_PURPOSE_CHARS = 2_000;

/** A GitHub owner (user or organisation) as GitHub spells it. */
export const OrgSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/,
    "an organisation is a GitHub owner: letters, digits and hyphens, at most 39 characters",
  );

/** The name of a space within its guide: a lower-case slug. */
export const SpaceNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,39}$/,
    "a space name starts with a lower-case letter and holds only a-z, 0-9 and -, at most 40 characters",
  );

/** One topic a space covers; commas separate topics in the markdown table, so none inside one. */
export const TopicSchema = z
  .string()
  .trim()
  .min(1, "a covered topic is not empty")
  .max(80, "a covered topic is at most 80 characters")
  .regex(/^[^,\n]*$/, "a covered topic holds no commas or line breaks");

/** A repository, or an environment bound to one, and what it is for. */
export const SpaceSchema = z
  .object({
    name: SpaceNameSchema,
    kind: z.enum(["repository", "environment"]),
    repo: RepoSchema,
    /** The environment's name (`staging`); null for a repository space. */
    environment: z
      .string()
      .trim()
      .min(1, "an environment name is not empty")
      .max(100, "an environment name is at most 100 characters")
      .regex(/^[^\n|]*$/, "an environment name holds no line breaks or |")
      .nullable()
      .default(null),
    purpose: z
      .string()
      .trim()
      .min(1, "say what the space is for")
      .max(MAX_PURPOSE_CHARS, `a purpose is at most ${MAX_PURPOSE_CHARS} characters`),
    coverage: z
      .array(TopicSchema)
      .max(MAX_COVERAGE_TOPICS, `a space lists at most ${MAX_COVERAGE_TOPICS} topics`)
      .default([]),
  })
  .superRefine((space, ctx) => {
    if (space.kind === "environment" && space.environment === null)
      ctx.addIssue({
        code: "custom",
        path: ["environment"],
        message: `the environment space \`${space.name}\` names its environment (e.g. "staging")`,
      });
    if (space.kind === "repository" && space.environment !== null)
      ctx.addIssue({
        code: "custom",
        path: ["environment"],
        message: `the repository space \`${space.name}\` has no environment; make it kind "environment" or set environment to null`,
      });
  });
export type Space = z.infer<typeof SpaceSchema>;

/** The spaces of one guide: at most MAX_SPACES, each name once. */
export const SpacesSchema = z
  .array(SpaceSchema)
  .max(MAX_SPACES, `a routing guide holds at most ${MAX_SPACES} spaces`)
  .superRefine((spaces, ctx) => {
    const seen = new Set<string>();
    spaces.forEach((space, i) => {
      if (seen.has(space.name))
        ctx.addIssue({
          code: "custom",
          path: [i, "name"],
          message: `the space name \`${space.name}\` is used more than once`,
        });
      seen.add(space.name);
    });
  });

/** Where a guide came from: the API, a file in a repository, or proposed by discovery. */
export const GuideSourceSchema = z.enum(["api", "repository", "proposed"]);
export type GuideSource = z.infer<typeof GuideSourceSchema>;

/** An organisation's routing guide; `updatedAt` is null for a guide never stored. */
export const RoutingGuideSchema = z.object({
  org: z.string(),
  spaces: SpacesSchema,
  source: GuideSourceSchema,
  updatedAt: z.number().nullable(),
});
export type RoutingGuide = z.infer<typeof RoutingGuideSchema>;

/** PUT /api/orgs/:org/routing */
export const PutRoutingGuideBodySchema = z.object({ spaces: SpacesSchema });
export type PutRoutingGuideBody = z.infer<typeof PutRoutingGuideBodySchema>;

/** GET and PUT /api/orgs/:org/routing answer */
export const RoutingGuideResponseSchema = z.object({ guide: RoutingGuideSchema });
export type RoutingGuideResponse = z.infer<typeof RoutingGuideResponseSchema>;

/** Where a request goes: one space, several, or back to the person with a question. */
export const RouteDecisionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("space"), space: z.string(), reason: z.string() }),
  z.object({
    kind: z.literal("fan_out"),
    spaces: z.array(z.string()),
    /** Spaces left out, each with why its purpose or coverage does not include the subject. */
    skipped: z.array(z.object({ space: z.string(), reason: z.string() })),
    reason: z.string(),
  }),
  z.object({ kind: z.literal("unknown"), question: z.string(), candidates: z.array(z.string()) }),
]);
export type RouteDecision = z.infer<typeof RouteDecisionSchema>;

/** `POST /api/requests`: a request sent to the organisation rather than to one repository. */
export const RouteRequestBodySchema = z.object({
  org: OrgSchema,
  text: z.string().trim().min(1).max(20_000),
  title: z.string().trim().min(1).max(200).optional(),
  /** The person marks the request as spanning spaces: it fans out. */
  fanOut: z.boolean().default(false),
  /** The space the person chose (after being asked, or up front): no classifier call. */
  space: SpaceNameSchema.optional(),
  clientId: z.string().min(1).max(100),
});
export type RouteRequestBody = z.infer<typeof RouteRequestBodySchema>;
