/** Node.js's compatibility module holding the native HTTP parser; its shape is checked at run time in `parser.ts`. */
declare module "node:_http_common" {
  const httpCommon: unknown;
  export default httpCommon;
}
