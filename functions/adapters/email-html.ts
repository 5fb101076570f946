/**
 * The HTML part of an email, made from its plain-text body: templates write text, and mail clients show HTML
 * best. Everything from the body is escaped (a customer's name can hold `<`); a blank line starts a paragraph,
 * a single line break stays one, and https links become clickable. Nothing else is interpreted.
 */

/** An https URL in running text; trailing punctuation is the sentence's, not the link's. */
const HTTPS_LINK = /https:\/\/[^\s<>"']+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;

export function emailHtml(document: { subject: string; body: string; locale: string }): string {
  const paragraphs = document.body
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0)
    .map((paragraph) => `<p>${paragraph.split("\n").map(linkified).join("<br>\n")}</p>`);
  return (
    `<!DOCTYPE html>\n<html lang="${escapeHtml(document.locale)}">\n<head>\n<meta charset="utf-8">\n` +
    `<title>${escapeHtml(document.subject)}</title>\n</head>\n<body>\n${paragraphs.join("\n")}\n</body>\n</html>\n`
  );
}

/** One line of text, escaped, with each https link made an anchor. */
function linkified(line: string): string {
  let out = "";
  let at = 0;
  for (const match of line.matchAll(HTTPS_LINK)) {
    const link = match[0].replace(TRAILING_PUNCTUATION, "");
    if (!isUrl(link)) continue;
    out += escapeHtml(line.slice(at, match.index));
    out += `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`;
    at = match.index + link.length;
  }
  return out + escapeHtml(line.slice(at));
}

function isUrl(text: string): boolean {
  try {
    return new URL(text).protocol === "https:";
  } catch {
    return false;
  }
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
