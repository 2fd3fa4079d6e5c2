export * from "./users";
export * from "./tokens";
export * from "./audit";
export * from "./settings";
export * from "./apis";
export * from "./environments";
export * from "./tiers";
