import { z } from "zod";

const COMMON = new Set([
  "password",
  "password1",
  "password123",
  "123456789",
  "1234567890",
  "qwertyuiop",
  "letmein123",
  "welcome123",
  "admin12345",
  "iloveyou12",
]);

/** Returns why a password is too weak, or null when it is acceptable. */
export function passwordWeakness(password: string): string | null {
  if (password.length < 10) return "Use at least 10 characters.";
  if (password.length > 200) return "Use at most 200 characters.";
  if (COMMON.has(password.toLowerCase())) return "This password is too common.";
  if (/^(.)\1+$/.test(password)) return "Do not repeat one character.";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (password.length < 16 && classes < 2) return "Mix letters with digits or symbols, or use 16 characters or more.";
  return null;
}

export const passwordSchema = z.string().superRefine((value, ctx) => {
  const weakness = passwordWeakness(value);
  if (weakness) ctx.addIssue({ code: "custom", message: weakness });
});

// Like the HTML email input: a dot-less domain is allowed, so that admin@localhost works.
const EMAIL_PATTERN =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "The email address is too long.")
  .regex(EMAIL_PATTERN, "Enter a valid email address.");
