import type { Page, Response } from "@playwright/test";
import { expect } from "./fixtures";

/**
 * Watches a page for Content-Security-Policy violations: the `securitypolicyviolation` events of
 * every document it loads, and Chromium's console reports ("Refused to …"), which also cover
 * what happens before a listener could run.
 */
export async function watchCsp(page: Page): Promise<{ violations: string[] }> {
  const violations: string[] = [];
  await page.exposeFunction("__reportCspViolation", (text: string) => void violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      void report(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber} (${location.pathname})`,
      );
    });
  });
  page.on("console", (message) => {
    const text = message.text();
    if (/Content Security Policy/i.test(text)) violations.push(`console: ${text}`);
  });
  return { violations };
}

/** The nonce of a page's policy, after checking the policy's script rule. */
export function nonceOf(response: Response | null): string {
  const policy = response?.headers()["content-security-policy"];
  expect(policy, `Content-Security-Policy of ${response?.url()}`).toBeTruthy();
  const match = /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(policy!);
  expect(match, policy).not.toBeNull();
  expect(policy).toContain("'strict-dynamic'");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  return match![1];
}

/** Opens a page, checks its policy carries a nonce that Next.js put on its scripts, and waits for a sign of life. */
export async function visit(page: Page, path: string, ready: (page: Page) => Promise<void>): Promise<string> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  const nonce = nonceOf(response);
  const html = await response!.text();
  expect(html, `${path}: scripts carry the nonce`).toContain(`nonce="${nonce}"`);
  await ready(page);
  return nonce;
}
