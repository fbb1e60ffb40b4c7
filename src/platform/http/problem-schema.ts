import { Type, type Static } from 'typebox';

// Apart from problem.ts, which services throw from: the schema (and TypeBox) load with the
// HTTP layer only, not with every command-line tool.

/** The problem+json body every error response carries. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    /** The detail's stable code, when the server words it per reader (ADR 0020). */
    code: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String(), code: Type.Optional(Type.String({ description: 'The message’s stable code, when the server words it per reader' })) }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);
/** A problem+json body. */
export type ProblemBody = Static<typeof ProblemSchema>;
