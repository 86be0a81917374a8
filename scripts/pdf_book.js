// Run inside Chromium by scripts/pdf.py on the built site's home page: fetch
// every page in reading order, keep each page's article, and lay them out as
// one book (cover, contents, chapters).  Ids are prefixed per chapter so links
// inside the book stay internal; each demo becomes its fallback figure and a
// link to the live page.  Returns the elements that overflow the page width.
async ({ pages, title, subtitle, siteUrl }) => {
  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };
  const book = el("div", { className: "book md-typeset" });
  const cover = el(
    "section",
    { className: "book-cover" },
    el("h1", { textContent: title }),
    el("p", { textContent: subtitle }),
    el("p", { className: "book-cover__url", textContent: siteUrl }),
  );
  const toc = el("ol", { className: "book-toc" });
  book.append(cover, el("section", { className: "book-contents" }, el("h1", { textContent: "目录" }), toc));

  for (const { url, id, liveUrl } of pages) {
    const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
    const article = doc.querySelector("article.md-content__inner");
    for (const junk of article.querySelectorAll(
      ".md-content__button, .headerlink, .md-source-file, .demo__controls, .demo__actions, .demo__status, .demo__progress, .demo__output, .demo__code, .demo__anchor, .md-feedback",
    ))
      junk.remove();
    for (const d of article.querySelectorAll("details")) d.open = true;
    for (const demo of article.querySelectorAll(".demo[data-demo], .exercise[data-exercise]")) {
      const anchor = demo.id ? `#${encodeURIComponent(demo.id)}` : "";
      const note = el("p", { className: "book-demo-note" }, "在线运行、改参数：", el("a", { href: liveUrl + anchor, textContent: liveUrl + anchor }));
      demo.append(note);
    }
    // Absolute image and link addresses, then book-internal ids.
    for (const img of article.querySelectorAll("img[src]")) {
      img.loading = "eager"; // a lazy image off screen never loads, and its decode() never settles
      img.src = new URL(img.getAttribute("src"), url).href;
    }
    for (const node of article.querySelectorAll("[id]")) node.id = `${id}--${node.id}`;
    const inBook = new Map(pages.map((p) => [new URL(p.url).pathname, p.id]));
    for (const a of article.querySelectorAll("a[href]")) {
      const href = a.getAttribute("href");
      if (href.startsWith("#")) {
        a.href = `#${id}--${href.slice(1)}`;
        continue;
      }
      const target = new URL(href, url);
      const chapter = target.origin === location.origin && inBook.get(target.pathname);
      if (chapter) a.href = target.hash ? `#${chapter}--${target.hash.slice(1)}` : `#${chapter}`;
      else if (target.origin === location.origin) a.href = new URL(target.pathname.slice(1) + target.hash, siteUrl).href;
    }
    const heading = article.querySelector("h1");
    const section = el("section", { className: "book-chapter", id });
    section.append(...article.childNodes);
    book.append(section);
    const link = el("a", { href: `#${id}`, textContent: heading ? heading.textContent.trim() : id });
    const pageNumber = el("span", { className: "book-toc__page" });
    pageNumber.dataset.for = id;
    toc.append(el("li", {}, link, pageNumber));
  }
  document.body.replaceChildren(book);
  document.documentElement.classList.add("book-print");
  await document.fonts.ready;
  await Promise.all([...document.images].map((img) => img.decode().catch(() => {})));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const wide = [];
  for (const node of book.querySelectorAll("pre, table, .katex-display, figure, .demo")) {
    if (node.scrollWidth > node.clientWidth + 1) {
      const where = node.closest(".book-chapter")?.id ?? "?";
      wide.push(`${where}: <${node.tagName.toLowerCase()}> ${node.scrollWidth} > ${node.clientWidth} px`);
    }
  }
  return wide;
};
