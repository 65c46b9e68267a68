export * from "./orgs";
export * from "./accounts";
export * from "./filings";
export * from "./tokens";
export * from "./audit";
export * from "./monitoring";
export * from "./sampling";
export * from "./jobs";
