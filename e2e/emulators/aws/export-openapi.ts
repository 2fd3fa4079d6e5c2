import type { EmuDeployment, EmuRestApi, EmuStage } from "./store";

/**
 * GetExport oas30: the deployed snapshot written back as OpenAPI 3.0, the way API Gateway
 * regenerates it (not the imported text). With extensions=integrations or apigateway, the
 * x-amazon-apigateway-* extensions are included.
 */
export function exportStage(
  api: EmuRestApi,
  stage: EmuStage,
  deployment: EmuDeployment,
  region: string,
  extensions: string | undefined,
): Record<string, unknown> {
  const { snapshot } = deployment;
  const withIntegrations = extensions === "integrations" || extensions === "apigateway";
  const withAuthorizers = withIntegrations || extensions === "authorizers";
  const paths: Record<string, Record<string, unknown>> = {};
  const schemes: Record<string, unknown> = {};

  for (const resource of [...snapshot.resources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const methods = Object.values(resource.resourceMethods);
    if (!methods.length) continue;
    const item: Record<string, unknown> = {};
    for (const method of methods.sort((a, b) => (a.httpMethod < b.httpMethod ? -1 : 1))) {
      const parameters = Object.entries(method.requestParameters)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, required]) => {
          const [, location, name] = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key) ?? [];
          return {
            name: name ?? key,
            in: location === "querystring" ? "query" : location,
            required: location === "path" ? true : required,
            schema: { type: "string" },
          };
        });
      const responses = Object.fromEntries(
        Object.values(method.methodResponses).map((r) => [
          r.statusCode,
          {
            description: `${r.statusCode} response`,
            ...(r.responseParameters
              ? {
                  headers: Object.fromEntries(
                    Object.keys(r.responseParameters).map((h) => [
                      h.replace("method.response.header.", ""),
                      { schema: { type: "string" } },
                    ]),
                  ),
                }
              : {}),
            content: {},
          },
        ]),
      );
      const security: Array<Record<string, string[]>> = [];
      if (method.apiKeyRequired) {
        security.push({ api_key: [] });
        schemes.api_key = { type: "apiKey", name: "x-api-key", in: "header" };
      }
      const authorizer = method.authorizerId ? snapshot.authorizers.find((a) => a.id === method.authorizerId) : undefined;
      if (authorizer) {
        security.push({ [authorizer.name]: [] });
        schemes[authorizer.name] = {
          type: "apiKey",
          name: authorizer.identitySource.replace("method.request.header.", ""),
          in: "header",
          "x-amazon-apigateway-authtype": "custom",
          ...(withAuthorizers
            ? {
                "x-amazon-apigateway-authorizer": {
                  type: authorizer.type.toLowerCase(),
                  authorizerUri: authorizer.authorizerUri,
                  ...(authorizer.authorizerCredentials ? { authorizerCredentials: authorizer.authorizerCredentials } : {}),
                  identitySource: authorizer.identitySource,
                  authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
                },
              }
            : {}),
        };
      }
      const integration = method.methodIntegration;
      item[method.httpMethod === "ANY" ? "x-amazon-apigateway-any-method" : method.httpMethod.toLowerCase()] = {
        ...(method.operationName ? { operationId: method.operationName } : {}),
        ...(parameters.length ? { parameters } : {}),
        responses,
        ...(security.length ? { security } : {}),
        ...(withIntegrations && integration
          ? {
              "x-amazon-apigateway-integration": {
                type: integration.type.toLowerCase(),
                ...(integration.httpMethod ? { httpMethod: integration.httpMethod } : {}),
                ...(integration.uri ? { uri: integration.uri } : {}),
                ...(integration.requestParameters ? { requestParameters: integration.requestParameters } : {}),
                ...(integration.requestTemplates ? { requestTemplates: integration.requestTemplates } : {}),
                ...(integration.passthroughBehavior ? { passthroughBehavior: integration.passthroughBehavior.toLowerCase() } : {}),
                ...(integration.connectionType ? { connectionType: integration.connectionType } : {}),
                timeoutInMillis: integration.timeoutInMillis,
                ...(integration.integrationResponses
                  ? {
                      responses: Object.fromEntries(
                        Object.values(integration.integrationResponses).map((r) => [r.statusCode === "200" ? "default" : r.statusCode, r]),
                      ),
                    }
                  : {}),
              },
            }
          : {}),
      };
    }
    paths[resource.path] = item;
  }

  return {
    openapi: "3.0.1",
    info: {
      title: snapshot.name,
      ...(snapshot.description ? { description: snapshot.description } : {}),
      // API Gateway fills in the deployment's date when the API has no version.
      version: snapshot.version ?? new Date(deployment.createdDate * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    },
    servers: [
      { url: `https://${api.id}.execute-api.${region}.amazonaws.com/{basePath}`, variables: { basePath: { default: stage.stageName } } },
    ],
    paths,
    components: Object.keys(schemes).length ? { securitySchemes: schemes } : {},
    ...(withIntegrations && snapshot.apiKeySource !== "HEADER" ? { "x-amazon-apigateway-api-key-source": snapshot.apiKeySource } : {}),
  };
}
