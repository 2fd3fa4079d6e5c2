import { authErrors, body, json, pageOf, pageParams, pathParam, problem, ref, type Json } from "../helpers";

/** External key managers (OpenID providers), the key managers an API accepts, and applications' clients there. */

const idParam = pathParam("id", "The key manager's id (`builtin` for Meridian's own)");
const notFound = problem("No such key manager");
const nullableString = { type: ["string", "null"] };

export const keyManagerSchemas: Record<string, Json> = {
  KeyManager: {
    type: "object",
    required: [
      "id",
      "name",
      "displayName",
      "type",
      "issuer",
      "jwksUri",
      "tokenEndpoint",
      "dynamicRegistration",
      "clientIdClaim",
      "audiences",
    ],
    properties: {
      id: { type: "string", examples: ["kmg_4kT9…", "builtin"] },
      name: { type: "string", pattern: "^[a-z][a-z0-9-]{1,62}$" },
      displayName: { type: "string" },
      description: { type: "string" },
      type: { type: "string", enum: ["builtin", "external"] },
      issuer: { type: "string", description: "As the discovery document names it; tokens' iss must equal it." },
      jwksUri: { type: "string", format: "uri" },
      tokenEndpoint: { type: "string", format: "uri" },
      registrationEndpoint: { ...nullableString, description: "RFC 7591 registration endpoint, when the provider offers one." },
      dynamicRegistration: { type: "boolean" },
      clientIdClaim: { type: "string", description: "The access-token claim that names the client (azp, client_id, …)." },
      audiences: { type: "array", items: { type: "string" }, description: "A token must carry one of them in aud." },
      registrationToken: { ...nullableString, description: 'The initial access token for registration, read back as "••••••".' },
      lastTest: {
        anyOf: [
          { type: "null" },
          {
            type: "object",
            properties: { at: { type: "string", format: "date-time" }, ok: { type: "boolean" }, message: { type: "string" } },
          },
        ],
      },
      createdAt: { type: ["string", "null"], format: "date-time" },
      updatedAt: { type: ["string", "null"], format: "date-time" },
    },
  },
  KeyManagerCreate: {
    type: "object",
    required: ["name", "issuer", "audiences"],
    properties: {
      name: { type: "string", pattern: "^[a-z][a-z0-9-]{1,62}$" },
      displayName: { type: "string", maxLength: 100 },
      description: { type: "string", maxLength: 2000 },
      issuer: {
        type: "string",
        format: "uri",
        description:
          "The provider's issuer: its discovery document (issuer + /.well-known/openid-configuration) is read by the server and must name the same issuer, a jwks_uri with RS256 or ES256 keys and a token endpoint. Private addresses are refused unless MERIDIAN_ALLOW_PRIVATE_URLS is set.",
      },
      clientIdClaim: { type: "string", default: "client_id" },
      audiences: { type: "array", minItems: 1, maxItems: 10, items: { type: "string" } },
      registrationToken: {
        type: ["string", "null"],
        format: "password",
        writeOnly: true,
        description: "Initial access token for dynamic client registration (RFC 7591 §3). Encrypted at rest.",
      },
    },
  },
  KeyManagerPatch: {
    type: "object",
    properties: {
      displayName: { type: "string", maxLength: 100 },
      description: { type: "string", maxLength: 2000 },
      issuer: { type: "string", format: "uri", description: "A new issuer is discovered and checked again." },
      clientIdClaim: { type: "string" },
      audiences: { type: "array", minItems: 1, maxItems: 10, items: { type: "string" } },
      registrationToken: {
        type: ["string", "null"],
        format: "password",
        writeOnly: true,
        description: "Leave it out, blank or masked to keep it; null clears it.",
      },
    },
  },
  KeyManagerClient: {
    type: "object",
    required: ["id", "keyManagerId", "issuer", "tokenEndpoint", "keyType", "mode", "clientId"],
    properties: {
      id: { type: "string", examples: ["kmc_…"] },
      keyManagerId: { type: "string" },
      keyManagerName: { type: "string" },
      issuer: { type: "string" },
      tokenEndpoint: { type: "string", format: "uri" },
      keyType: { type: "string", enum: ["production", "sandbox"] },
      mode: {
        type: "string",
        enum: ["registered", "mapped"],
        description: "Registered by Meridian, or an existing client mapped by its owner.",
      },
      clientId: { type: "string" },
      clientSecret: { type: "string", description: "Only in the answer that creates or rotates the client." },
      createdAt: { type: "string", format: "date-time" },
      updatedAt: { type: "string", format: "date-time" },
    },
  },
  KeyManagerClientCreate: {
    type: "object",
    required: ["keyManagerId"],
    properties: {
      keyManagerId: { type: "string" },
      keyType: { type: "string", enum: ["production", "sandbox"], default: "production" },
      clientId: {
        type: "string",
        description: "With clientSecret: map this existing client (a client-credentials grant proves it); without: register one.",
      },
      clientSecret: { type: "string", format: "password", writeOnly: true },
    },
  },
  EnvironmentKeyManagers: {
    type: "object",
    required: ["restricted", "items"],
    properties: {
      restricted: { type: "boolean", description: "False: the environment trusts whatever its APIs accept (items is empty)." },
      items: { type: "array", items: ref("KeyManager") },
    },
  },
  ProviderToken: {
    type: "object",
    required: ["accessToken", "tokenType"],
    properties: {
      accessToken: { type: "string" },
      tokenType: { type: "string" },
      expiresIn: { type: ["integer", "null"] },
      scope: nullableString,
    },
  },
};

const clientParams = [pathParam("id", "The application's id"), pathParam("clientId", "The client's id in Meridian (kmc_…)")];

export const keyManagerPaths: Record<string, Json> = {
  "/api/v1/key-managers": {
    get: {
      operationId: "listKeyManagers",
      tags: ["key managers"],
      summary: "List key managers: the built-in one first, then the external OpenID providers",
      parameters: pageParams,
      responses: { "200": json("Key managers", pageOf(ref("KeyManager"))), ...authErrors },
    },
    post: {
      operationId: "createKeyManager",
      tags: ["key managers"],
      summary: "Register an OpenID provider by its issuer (admin); its discovery document and JWKS are read and checked first",
      requestBody: body(ref("KeyManagerCreate")),
      responses: {
        "201": json("Registered", ref("KeyManager")),
        ...authErrors,
        "400": problem(
          "Invalid input, duplicate name or issuer, or a discovery document that is unreachable, inconsistent or has no usable JWKS",
        ),
      },
    },
  },
  "/api/v1/key-managers/{id}": {
    get: {
      operationId: "getKeyManager",
      tags: ["key managers"],
      summary: "One key manager (admin)",
      parameters: [idParam],
      responses: { "200": json("The key manager", ref("KeyManager")), "404": notFound, ...authErrors },
    },
    patch: {
      operationId: "updateKeyManager",
      tags: ["key managers"],
      summary: "Change a key manager (admin)",
      parameters: [idParam],
      requestBody: body(ref("KeyManagerPatch")),
      responses: {
        "200": json("Updated", ref("KeyManager")),
        "404": notFound,
        "409": problem("The built-in key manager is configured by the server"),
        ...authErrors,
      },
    },
    delete: {
      operationId: "deleteKeyManager",
      tags: ["key managers"],
      summary: "Delete a key manager no application has a client of (admin)",
      parameters: [idParam],
      responses: {
        "204": { description: "Deleted" },
        "404": notFound,
        "409": problem("Applications have clients there, or it is the built-in one"),
        ...authErrors,
      },
    },
  },
  "/api/v1/key-managers/{id}/test": {
    post: {
      operationId: "testKeyManagerConnection",
      tags: ["key managers"],
      summary: "Read the discovery document and JWKS again (admin); a failed test answers 200 with ok false",
      parameters: [idParam],
      responses: { "200": json("The outcome", ref("ConnectionTest")), "404": notFound, ...authErrors },
    },
  },
  "/api/v1/apis/{id}/key-managers": {
    get: {
      operationId: "getApiKeyManagers",
      tags: ["key managers"],
      summary: "The key managers whose access tokens the API accepts",
      parameters: [pathParam("id", "The API's id")],
      responses: {
        "200": json("Accepted key managers", { type: "object", properties: { items: { type: "array", items: ref("KeyManager") } } }),
        "404": problem("No such API"),
        ...authErrors,
      },
    },
    put: {
      operationId: "setApiKeyManagers",
      tags: ["key managers"],
      summary: "Choose the key managers whose access tokens the API accepts (gateways follow with their next snapshot)",
      parameters: [pathParam("id", "The API's id")],
      requestBody: body({
        type: "object",
        required: ["keyManagerIds"],
        properties: { keyManagerIds: { type: "array", minItems: 1, maxItems: 20, items: { type: "string" } } },
      }),
      responses: {
        "200": json("Accepted key managers", { type: "object", properties: { items: { type: "array", items: ref("KeyManager") } } }),
        "404": problem("No such API"),
        ...authErrors,
      },
    },
  },
  "/api/v1/environments/{name}/key-managers": {
    get: {
      operationId: "getEnvironmentKeyManagers",
      tags: ["key managers"],
      summary: "The key managers the environment's gateways may trust (admin); restricted false means whatever its APIs accept",
      parameters: [pathParam("name", "The environment's name")],
      responses: { "200": json("The restriction", ref("EnvironmentKeyManagers")), "404": problem("No such environment"), ...authErrors },
    },
    put: {
      operationId: "setEnvironmentKeyManagers",
      tags: ["key managers"],
      summary: "Restrict the key managers the environment's gateways trust (admin); an empty list lifts the restriction",
      parameters: [pathParam("name", "The environment's name")],
      requestBody: body({
        type: "object",
        required: ["keyManagerIds"],
        properties: { keyManagerIds: { type: "array", maxItems: 20, items: { type: "string" } } },
      }),
      responses: { "200": json("The restriction", ref("EnvironmentKeyManagers")), "404": problem("No such environment"), ...authErrors },
    },
  },
  "/api/v1/applications/{id}/key-manager-clients": {
    get: {
      operationId: "listKeyManagerClients",
      tags: ["applications"],
      summary: "The application's clients at external key managers",
      parameters: [pathParam("id", "The application's id")],
      responses: {
        "200": json("Clients", { type: "object", properties: { items: { type: "array", items: ref("KeyManagerClient") } } }),
        "404": problem("No such application"),
        ...authErrors,
      },
    },
    post: {
      operationId: "createKeyManagerClient",
      tags: ["applications"],
      summary:
        "Register a client at the key manager (dynamic registration), or map an existing one after a client-credentials grant proves it",
      description:
        "A registration is written down before the provider is asked and made active only after the provider's answer is stored. Repeating the request after an interrupted registration completes that registration (one client at the provider) instead of registering another; while a registration is still running it answers 409.",
      parameters: [pathParam("id", "The application's id")],
      requestBody: body(ref("KeyManagerClientCreate")),
      responses: {
        "201": json("The client, with its secret this once", ref("KeyManagerClient")),
        "404": problem("No such application"),
        "409": problem(
          "The client is mapped to an application already, the application has one there, or a registration of it is still running",
        ),
        "502": problem("The key manager refused the registration (nothing is left registered)"),
        ...authErrors,
      },
    },
  },
  "/api/v1/applications/{id}/key-manager-clients/{clientId}": {
    delete: {
      operationId: "deleteKeyManagerClient",
      tags: ["applications"],
      summary: "Delete the client at the provider (when Meridian registered it) and the mapping",
      parameters: clientParams,
      responses: {
        "204": { description: "Deleted" },
        "404": problem("No such client"),
        "502": problem("The provider refused"),
        ...authErrors,
      },
    },
  },
  "/api/v1/applications/{id}/key-manager-clients/{clientId}/rotate": {
    post: {
      operationId: "rotateKeyManagerClient",
      tags: ["applications"],
      summary: "Replace a registered client by a new one (new id and secret); the old one is deleted at the provider",
      parameters: clientParams,
      responses: {
        "200": json("The new client, with its secret this once", ref("KeyManagerClient")),
        "404": problem("No such client"),
        "409": problem("A mapped client is rotated at the provider"),
        "502": problem("The provider refused"),
        ...authErrors,
      },
    },
  },
  "/api/v1/applications/{id}/key-manager-clients/{clientId}/token": {
    post: {
      operationId: "requestKeyManagerToken",
      tags: ["applications"],
      summary: "Get an access token from the key manager for this client (Try it)",
      parameters: clientParams,
      requestBody: body({ type: "object", properties: { scope: { type: "string" } } }, false),
      responses: {
        "200": json("A token from the key manager", ref("ProviderToken")),
        "404": problem("No such client"),
        ...authErrors,
      },
    },
  },
};
