import assert from "node:assert/strict";
import { test } from "node:test";
import { attachmentDisposition } from "./content-disposition";

const cases: Array<[string, string]> = [
  ["report.pdf", `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`],
  ["../../etc/passwd", `attachment; filename=".._.._etc_passwd"; filename*=UTF-8''.._.._etc_passwd`],
  ['quote" and; semicolon.txt', `attachment; filename="quote_ and_ semicolon.txt"; filename*=UTF-8''quote%22%20and%3B%20semicolon.txt`],
  ["na\u0000me\r\n.txt", `attachment; filename="name.txt"; filename*=UTF-8''name.txt`],
  ["evil\u202Etxt.exe", `attachment; filename="eviltxt.exe"; filename*=UTF-8''eviltxt.exe`],
  ["...", `attachment; filename="download"; filename*=UTF-8''download`],
  ["résumé 📄.txt", `attachment; filename="r_sum_ __.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%F0%9F%93%84.txt`],
];

for (const [name, expected] of cases) {
  test(`Content-Disposition for ${JSON.stringify(name)}`, () => {
    assert.equal(attachmentDisposition(name), expected);
  });
}
