// SockLab's reader script: what the static pages need a script for, and nothing else.
//
// Every page is complete without it (text, code, figures, links, the labs' starting state).
// With it: themes, the sidebar drawer, keys (← → for chapters, S or / for search), search,
// copy buttons, quizzes, progress, the language switch that keeps your section — and the labs,
// whose wasm it loads only when one is about to scroll into view.
//
// Its words come from the page (`#socklab-config`, written by the book from frontend/src/i18n),
// so it holds no text of its own. Everything it remembers is in localStorage under `socklab.*`.

const root = document.documentElement;
const config = JSON.parse(document.getElementById('socklab-config').textContent);
const t = config.text;

const store = {
  get(key) { try { return localStorage.getItem(key); } catch { return null; } },
  set(key, value) { try { localStorage.setItem(key, value); } catch { /* private mode: forget */ } },
  remove(key) { try { localStorage.removeItem(key); } catch { /* nothing to forget */ } },
};

const isTyping = (target) => target.closest('input, textarea, select, [contenteditable], dialog');

// --- Theme: auto (the system's), light or dark; applied before paint by the early script. ---
function setupTheme() {
  const picker = document.querySelector('.theme-picker');
  const select = picker?.querySelector('select');
  if (!select) return;
  const saved = store.get('socklab.theme');
  select.value = saved === 'light' || saved === 'dark' ? saved : 'auto';
  select.addEventListener('change', () => {
    if (select.value === 'auto') {
      delete root.dataset.theme;
      store.remove('socklab.theme');
    } else {
      root.dataset.theme = select.value;
      store.set('socklab.theme', select.value);
    }
  });
}

// --- Sidebar: a column that can be folded away on wide screens (remembered), a drawer on
// narrow ones (closed on every page). ---
function setupSidebar() {
  const button = document.querySelector('.sidebar-toggle');
  const sidebar = document.getElementById('sidebar');
  if (!button || !sidebar) return;
  const narrow = matchMedia('(max-width: 900px)');
  const remembered = () => (store.get('socklab.sidebar') === 'closed' ? 'closed' : undefined);
  const isOpen = () => (narrow.matches ? root.dataset.sidebar === 'open' : root.dataset.sidebar !== 'closed');
  const set = (state) => {
    if (state) root.dataset.sidebar = state; else delete root.dataset.sidebar;
    button.setAttribute('aria-expanded', String(isOpen()));
  };
  const closeDrawer = () => { set(remembered()); button.focus(); };
  set(remembered());
  button.addEventListener('click', () => {
    if (narrow.matches) {
      if (isOpen()) { set(remembered()); return; }
      set('open');
      (sidebar.querySelector('[aria-current=page]') ?? sidebar.querySelector('a'))?.focus();
    } else if (isOpen()) {
      store.set('socklab.sidebar', 'closed');
      set('closed');
    } else {
      store.remove('socklab.sidebar');
      set(undefined);
    }
  });
  narrow.addEventListener('change', () => set(remembered()));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && narrow.matches && isOpen()) closeDrawer();
  });
  document.addEventListener('click', (event) => {
    if (narrow.matches && isOpen() && !sidebar.contains(event.target) && !button.contains(event.target)) {
      set(remembered());
    }
  });
}

// --- Keys: ← and → turn the page (the labs keep their own keys), S and / search. ---
function setupKeys(openSearch) {
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (isTyping(event.target) || event.target.closest('.lab')) return;
    const go = (rel) => {
      const link = document.querySelector(`.chapter-nav a[rel=${rel}]`);
      if (link) location.href = link.href;
    };
    if (event.key === 'ArrowLeft') go('prev');
    else if (event.key === 'ArrowRight') go('next');
    else if (event.key === 's' || event.key === 'S' || event.key === '/') {
      event.preventDefault();
      openSearch();
    }
  });
}

// --- Search: the index is fetched the first time search opens, never with the page. Every
// word of the query must occur, as a substring, in a section's title, heading or text — which
// is what lets Chinese (no spaces between words) be searched at all. ---
function setupSearch() {
  const dialog = document.getElementById('search');
  const input = document.getElementById('search-input');
  const status = document.getElementById('search-status');
  const results = document.getElementById('search-results');
  const button = document.querySelector('.search-button');
  if (!dialog || !input || typeof dialog.showModal !== 'function') return () => {};
  let index;

  const load = () => {
    index ??= fetch(config.search)
      .then((response) => {
        if (!response.ok) throw new Error(`${response.status}`);
        return response.json();
      })
      .then((entries) => entries.map((e) => ({ ...e, title: e.t.toLowerCase(), heading: e.h.toLowerCase(), text: e.x.toLowerCase() })));
    return index;
  };

  const snippet = (entry, terms) => {
    const text = entry.x;
    const at = terms.map((term) => entry.text.indexOf(term)).find((i) => i >= 0) ?? 0;
    const start = Math.max(0, at - 40);
    const piece = (start > 0 ? '…' : '') + text.slice(start, start + 160) + (start + 160 < text.length ? '…' : '');
    return highlight(piece, terms);
  };

  // Text with each term wrapped in <mark>, built as DOM nodes (never as HTML).
  const highlight = (text, terms) => {
    const fragment = document.createDocumentFragment();
    const lower = text.toLowerCase();
    let i = 0;
    while (i < text.length) {
      let next = -1; let length = 0;
      for (const term of terms) {
        const found = lower.indexOf(term, i);
        if (found >= 0 && (next < 0 || found < next)) { next = found; length = term.length; }
      }
      if (next < 0) { fragment.append(text.slice(i)); break; }
      fragment.append(text.slice(i, next));
      const mark = document.createElement('mark');
      mark.textContent = text.slice(next, next + length);
      fragment.append(mark);
      i = next + length;
    }
    return fragment;
  };

  const occurrences = (haystack, needle) => {
    let count = 0;
    for (let i = haystack.indexOf(needle); i >= 0 && count < 5; i = haystack.indexOf(needle, i + needle.length)) count++;
    return count;
  };

  const run = async () => {
    const query = input.value.trim().toLowerCase();
    results.replaceChildren();
    if (!query) { status.textContent = ''; return; }
    let entries;
    try {
      status.textContent = t.search_loading;
      entries = await load();
    } catch {
      status.textContent = t.search_failed;
      index = undefined;
      return;
    }
    if (input.value.trim().toLowerCase() !== query) return; // a newer query is on its way
    const terms = query.split(/\s+/);
    const scored = [];
    for (const entry of entries) {
      let score = 0;
      for (const term of terms) {
        const inTitle = entry.title.includes(term); const inHeading = entry.heading.includes(term);
        const inText = occurrences(entry.text, term);
        if (!inTitle && !inHeading && !inText) { score = 0; break; }
        score += (inTitle ? 4 : 0) + (inHeading ? 8 : 0) + inText;
      }
      if (score > 0) scored.push([score, entry]);
    }
    scored.sort((a, b) => b[0] - a[0]);
    status.textContent = scored.length ? '' : `${t.search_no_results} “${input.value.trim()}”`;
    for (const [, entry] of scored.slice(0, 20)) {
      const link = document.createElement('a');
      link.href = entry.p + (entry.a ? `#${entry.a}` : '');
      const where = document.createElement('span');
      where.className = 'result-where';
      where.textContent = entry.t;
      const heading = document.createElement('span');
      heading.className = 'result-heading';
      heading.append(highlight(entry.h || entry.t, terms));
      const text = document.createElement('span');
      text.className = 'result-text';
      text.append(snippet(entry, terms));
      link.append(where, heading, text);
      link.addEventListener('click', () => dialog.close());
      const item = document.createElement('li');
      item.append(link);
      results.append(item);
    }
  };

  input.addEventListener('input', run);
  input.addEventListener('keydown', (event) => {
    // A search field's own Esc only clears it; here Esc means "close search".
    if (event.key === 'Escape') { event.preventDefault(); dialog.close(); return; }
    const first = results.querySelector('a');
    if (event.key === 'ArrowDown' && first) { event.preventDefault(); first.focus(); }
    if (event.key === 'Enter' && first) { event.preventDefault(); first.click(); location.href = first.href; }
  });
  results.addEventListener('keydown', (event) => {
    const links = [...results.querySelectorAll('a')];
    const at = links.indexOf(document.activeElement);
    if (event.key === 'ArrowDown' && at < links.length - 1) { event.preventDefault(); links[at + 1].focus(); }
    if (event.key === 'ArrowUp') { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
  });
  // A click on the backdrop (outside the dialog's box) closes it.
  dialog.addEventListener('click', (event) => { if (event.target === dialog) dialog.close(); });

  const open = () => {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    load().catch(() => {});
  };
  button?.addEventListener('click', open);
  return open;
}

// --- Copy buttons on code blocks. ---
function setupCopyButtons() {
  for (const pre of document.querySelectorAll('main pre')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-button';
    button.textContent = t.copy;
    button.addEventListener('click', async () => {
      const code = pre.querySelector('code')?.innerText ?? pre.innerText;
      try {
        await navigator.clipboard.writeText(code);
        button.textContent = t.copied;
      } catch {
        button.textContent = t.copy_failed;
      }
      setTimeout(() => { button.textContent = t.copy; }, 1500);
    });
    pre.append(button);
  }
}

// --- The language switch keeps the section you are reading (anchors are the same in every
// language); the choice is remembered for `/`. ---
function setupLanguageSwitch() {
  store.set('socklab.lang', config.lang);
  for (const link of document.querySelectorAll('.langs a[hreflang]')) {
    link.addEventListener('click', () => {
      store.set('socklab.lang', link.hreflang);
      const section = currentSection();
      if (section) link.hash = section.id;
    });
  }
}

/** The last heading above the top of the window: the section being read. */
function currentSection() {
  const top = document.querySelector('.topbar')?.offsetHeight ?? 0;
  let current;
  for (const heading of document.querySelectorAll('main h2[id], main h3[id]')) {
    if (heading.getBoundingClientRect().top > top + 16) break;
    current = heading;
  }
  return current;
}

// --- This page's sections: the one being read is marked as you scroll. ---
function setupToc() {
  const toc = document.querySelector('.toc');
  if (!toc) return;
  const links = new Map([...toc.querySelectorAll('a')].map((a) => [a.hash.slice(1), a]));
  let scheduled = false;
  const mark = () => {
    scheduled = false;
    const section = currentSection();
    for (const [id, link] of links) {
      if (section && id === section.id) link.setAttribute('aria-current', 'location');
      else link.removeAttribute('aria-current');
    }
  };
  addEventListener('scroll', () => { if (!scheduled) { scheduled = true; requestAnimationFrame(mark); } }, { passive: true });
  mark();
}

// --- Progress: chapters read and quiz answers, in this browser only. ---
const PROGRESS = 'socklab.progress.v1';

function loadProgress() {
  try {
    const saved = JSON.parse(store.get(PROGRESS) ?? '{}');
    return { read: saved.read ?? {}, quiz: saved.quiz ?? {}, labs: saved.labs ?? {} };
  } catch {
    return { read: {}, quiz: {}, labs: {} };
  }
}

function saveProgress(progress) {
  store.set(PROGRESS, JSON.stringify(progress));
}

function setupProgress() {
  if (config.page === 'chapter') {
    const progress = loadProgress();
    progress.read[config.slug] = Date.now();
    saveProgress(progress);
  }
  if (config.page !== 'home') return;
  const show = () => {
    const progress = loadProgress();
    for (const item of document.querySelectorAll('.course-map li[data-slug]')) {
      const slug = item.dataset.slug;
      const line = item.querySelector('.course-progress');
      line.replaceChildren();
      if (progress.read[slug]) {
        const read = document.createElement('span');
        read.className = 'read';
        read.textContent = t.visited;
        line.append(read);
      }
      const total = Number(item.dataset.quizzes ?? 0);
      const right = Object.entries(progress.quiz).filter(([key, ok]) => ok && key.startsWith(`${slug}/`)).length;
      if (total && Object.keys(progress.quiz).some((key) => key.startsWith(`${slug}/`))) {
        line.append(` · ${t.quiz_score.replace('{right}', right).replace('{total}', total)}`);
      }
    }
  };
  const controls = document.querySelector('.progress-controls');
  if (controls) {
    controls.querySelector('button').addEventListener('click', () => {
      if (confirm(t.reset_confirm)) { store.remove(PROGRESS); show(); }
    });
  }
  show();
}

// --- Quizzes: the explanation stays hidden until the learner has tried (the stylesheet hides
// it from the first paint when scripts run; `revealed` shows it). ---
function setupQuizzes() {
  const normalise = (s) => s.trim().toLowerCase().replace(/\s+/g, ' ');
  for (const form of document.querySelectorAll('form.quiz')) {
    const explain = form.querySelector('.quiz-explain');
    const verdict = form.querySelector('.quiz-verdict');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const answer = form.elements[form.id].value;
      const right = form.dataset.kind === 'choice'
        ? answer === form.dataset.answer
        : JSON.parse(form.dataset.accept).some((accepted) => normalise(accepted) === normalise(answer));
      verdict.textContent = right ? t.correct : t.incorrect;
      verdict.className = `quiz-verdict ${right ? 'right' : 'wrong'}`;
      explain.classList.add('revealed');
      explain.open = right;
      const progress = loadProgress();
      progress.quiz[`${config.slug}/${form.dataset.quiz}`] = right;
      saveProgress(progress);
    });
  }
}

// --- Labs: load a lab bundle's wasm when one of its labs is about to be seen; it hydrates every
// island of that bundle (data-bundle). A page without live labs never downloads the live bundle.
function setupLabs() {
  const islands = [...document.querySelectorAll('[data-lab]')];
  const bundles = [...new Set(islands.map((island) => island.dataset.bundle))];
  for (const bundle of bundles) {
    const mine = islands.filter((island) => island.dataset.bundle === bundle);
    whenNear(mine, () => {
      const files = config.labs[bundle];
      import(files.js)
        .then((labs) => labs.default({ module_or_path: files.wasm }))
        .catch((error) => {
          for (const island of mine) {
            if (island.dataset.labState === 'live') continue;
            island.dataset.labState = 'failed';
            const note = island.parentElement.querySelector('.lab-note');
            if (note) note.textContent = `${t.lab_failed}: ${error.message}`;
          }
        });
    });
  }
}

/** Call `start` once, when any of `islands` comes within 600 px of the view. */
function whenNear(islands, start) {
  // A link to one of these labs (#lab-2), or to its state (?lab-2=…), starts them at once.
  const linked = new Set([location.hash.slice(1), ...new URLSearchParams(location.search).keys()]);
  if (islands.some((island) => linked.has(island.parentElement.id)) || !('IntersectionObserver' in window)) {
    start();
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      observer.disconnect();
      start();
    }
  }, { rootMargin: '600px 0px' });
  for (const island of islands) observer.observe(island);
}

setupTheme();
setupSidebar();
setupKeys(setupSearch());
setupCopyButtons();
setupLanguageSwitch();
setupToc();
setupProgress();
setupQuizzes();
setupLabs();
