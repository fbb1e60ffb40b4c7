import { Type, type Static } from 'typebox';

/** Body of POST /api/auth/login. */
export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
/** Login credentials. */
export type LoginBody = Static<typeof LoginBody>;

/** An organisation as others see it. */
export const OrgSummary = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  kind: Type.String(),
});
/** An organisation as others see it. */
export type OrgSummary = Static<typeof OrgSummary>;

/** An organisation in the tree (GET /api/orgs). */
export const OrgNode = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  kind: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  creditCode: Type.Union([Type.String(), Type.Null()]),
  areaCode: Type.Union([Type.String(), Type.Null()]),
});
/** An organisation in the tree. */
export type OrgNode = Static<typeof OrgNode>;

const AreaEnum = Type.Union([
  Type.Literal('operator'),
  Type.Literal('department'),
  Type.Literal('citizen'),
  Type.Literal('open-data'),
  Type.Literal('community'),
  Type.Literal('arena'),
]);

/** The signed-in user (GET /api/me), with the web areas the policy opens. */
export const Me = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  kind: Type.String(),
  roles: Type.Array(Type.String()),
  org: Type.Union([OrgSummary, Type.Null()]),
  areas: Type.Array(AreaEnum),
  /** What the user's roles allow: the web shows only what they may use (the server checks each call). */
  permissions: Type.Array(Type.String()),
});
/** The signed-in user. */
export type Me = Static<typeof Me>;

/** Body of POST /api/keys. */
export const CreateApiKeyBody = Type.Object(
  {
    systemName: Type.String({ minLength: 2, maxLength: 100, description: 'The department system that will call with this key' }),
    orgCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Operators only: the department the key belongs to' })),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 90 })),
  },
  { additionalProperties: false },
);
/** A request for a new API key. */
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;

/** An API key without its secret. */
export const ApiKeySummary = Type.Object({
  id: Type.String(),
  orgCode: Type.String(),
  systemName: Type.String(),
  roles: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
/** An API key without its secret. */
export type ApiKeySummary = Static<typeof ApiKeySummary>;

/** A new API key: the only time its secret is shown. */
export const ApiKeyCreated = Type.Object({ ...ApiKeySummary.properties, key: Type.String({ description: 'Shown once; store it in the calling system' }) });
/** A new API key with its secret. */
export type ApiKeyCreated = Static<typeof ApiKeyCreated>;
