/**
 * An audit entry in words, for people scanning recent activity ("deleted the tier Bronze")
 * rather than the stable codes the audit log and the API keep (`tier.delete`). Unknown codes
 * still read as words: "noun.verb" becomes "verb noun".
 */
export interface AuditLike {
  action: string;
  objectType: string;
  details: Record<string, unknown>;
}

const NOUNS: Record<string, string> = {
  api: "API",
  api_key: "API key",
  application: "application",
  environment: "environment",
  settings: "settings",
  signing_key: "signing key",
  subscription: "subscription",
  tier: "tier",
  token: "access token",
  user: "user",
  revision: "revision",
  document: "document",
};

const PHRASES: Record<string, string> = {
  "api.create": "created the API",
  "api.create_version": "created a new version of the API",
  "api.update": "changed the settings of the API",
  "api.update_definition": "changed the definition of the API",
  "api.update_operation": "changed an operation of the API",
  "api.delete": "deleted the API",
  "api.deploy": "deployed the API",
  "api.undeploy": "undeployed the API",
  "api.lifecycle": "changed the lifecycle state of the API",
  "api.revision.create": "created a revision of the API",
  "api.revision.delete": "deleted a revision of the API",
  "api.revision.restore": "restored a revision of the API",
  "api.document.create": "added a document to the API",
  "api.document.update": "changed a document of the API",
  "api.document.delete": "deleted a document of the API",
  "api_key.create": "created an API key",
  "api_key.revoke": "revoked an API key",
  "application.create": "created the application",
  "application.update": "changed the application",
  "application.delete": "deleted the application",
  "application.credentials": "generated OAuth2 credentials for an application",
  "application.token": "generated an access token for an application",
  "environment.create": "registered the environment",
  "environment.update": "changed the environment",
  "environment.delete": "deleted the environment",
  "environment.discover": "started a discovery on the environment",
  "environment.drift-check": "started a drift check on the environment",
  "deployment.reapply": "re-applied a deployment that had drifted",
  "deployment.adopt": "adopted what runs on a gateway as a new revision",
  "project.apply": "applied a project file",
  "environment.token_create": "created a gateway token for the environment",
  "environment.token_rotate": "rotated the gateway token of the environment",
  "environment.token_revoke": "revoked the gateway token of the environment",
  "settings.update": "changed the platform settings",
  "signing_key.rotate": "rotated the token signing key",
  "subscription.create": "subscribed an application to an API",
  "subscription.delete": "removed a subscription",
  "subscription.approve": "approved a subscription",
  "subscription.reject": "rejected a subscription",
  "subscription.block": "blocked a subscription",
  "subscription.unblock": "unblocked a subscription",
  "tier.create": "created the tier",
  "tier.update": "changed the tier",
  "tier.delete": "deleted the tier",
  "token.create": "created a personal access token",
  "token.revoke": "revoked a personal access token",
  "user.create": "created the user",
  "user.invite": "invited",
  "user.update": "changed the user",
  "user.disable": "disabled the user",
  "user.enable": "enabled the user",
  "user.sign_up": "signed up",
  "user.first_admin": "became the first administrator",
  "user.accept_invitation": "accepted an invitation",
};

const PAST: Record<string, string> = {
  create: "created",
  update: "changed",
  delete: "deleted",
  revoke: "revoked",
  rotate: "rotated",
  restore: "restored",
};

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

/** The object's name when the entry recorded one, with a version where an API has it. */
function nameOf(entry: AuditLike): string | null {
  const d = entry.details;
  const name = text(d.name) ?? text(d.title) ?? text(d.email);
  if (!name) return null;
  const version = entry.objectType === "api" ? text(d.version) : null;
  return version ? `${name} ${version}` : name;
}

export function describeAuditAction(entry: AuditLike): string {
  const d = entry.details;
  const name = nameOf(entry);
  if (entry.action === "api.lifecycle" && text(d.to)) return `moved the API${name ? ` ${name}` : ""} to ${String(d.to).toLowerCase()}`;
  if (entry.action === "deployment.drift" && text(d.to) && text(d.environment)) {
    const state = ({ in_sync: "in sync", drifted: "drifted", missing: "missing" } as Record<string, string>)[String(d.to)] ?? String(d.to);
    return `found a deployment on ${d.environment} ${state}`;
  }
  if (entry.action === "api.deploy" && Array.isArray(d.environments) && d.environments.length) {
    return `deployed revision ${d.revision ?? "?"} of the API to ${d.environments.join(", ")}`;
  }
  const phrase = PHRASES[entry.action];
  if (phrase) {
    // Sentences that end on their object take its name ("deleted the tier Bronze").
    const named = name && /(the (API|application|environment|tier|user)|invited)$/.test(phrase);
    return named ? `${phrase} ${name}` : phrase;
  }
  const parts = entry.action.split(".");
  const verb = parts.at(-1) ?? entry.action;
  const nouns = parts.slice(0, -1).map((p) => NOUNS[p] ?? p.replace(/_/g, " "));
  const words = `${PAST[verb] ?? verb.replace(/_/g, " ")}${nouns.length ? ` ${nouns.reverse().join(" of ")}` : ""}`;
  return name ? `${words} ${name}` : words;
}
