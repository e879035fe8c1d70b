// What a parent session sends to the Session object of a child it starts.
import { z } from "zod";
import { PersonSchema } from "./events.ts";
import { MemberNameSchema, ParentLinkSchema } from "./team.ts";

/** What a child is created with, sent by the parent to the new Session object. */
export const ChildLinkSchema = z.object({
  parent: ParentLinkSchema,
  name: MemberNameSchema,
  role: z.string().nullable(),
  depth: z.number().int().min(1),
  /** Who else may see the child: the parent's participants with their roles. */
  participants: z.array(
    z.object({ person: PersonSchema, role: z.enum(["collaborator", "viewer"]) }),
  ),
});
export type ChildLink = z.infer<typeof ChildLinkSchema>;
