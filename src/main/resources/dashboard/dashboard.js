// The SlimJobs dashboard: reads the JSON API as the person viewing it, every REFRESH_MILLIS, and shows what it
// answers; a Private job appears only for a caller the API trusts.
'use strict';

const REFRESH_MILLIS = 2000;
const ACTIVE = new Set(['Pending', 'Running', 'ImagePullBackOff']);
const FINISHED = new Set(['Succeeded', 'Failed']);
/** Finished executions listed per job, newest first; the counts include every one. */
const RECENT_FINISHED = 20;

/** Job name -> its section. */
const sections = new Map();
/** Execution Id -> EndTimestamp, read once per finished execution: a finished one never changes. */
const endTimes = new Map();
/** Execution Id -> job name, for executions deleted from this page: hidden until the listing no longer has them. */
const deleted = new Map();

let timer = null;
let refreshing = false;
let refreshAgain = false;

class ApiError extends Error {
  constructor(status, error, message) {
    super(message);
    this.status = status;
    this.error = error;
  }

  toString() {
    return `${this.status} ${this.error}: ${this.message}`;
  }
}

/** Calls the API; an answer outside 2xx becomes an ApiError carrying its {"error","message"}. */
async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = body;
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch (e) {
    // not JSON: the status and the raw text say what happened
  }
  if (!response.ok) {
    throw new ApiError(response.status, json?.error ?? response.statusText, json?.message ?? text);
  }
  return json;
}

function path(...segments) {
  return '/' + segments.map(encodeURIComponent).join('/');
}

// --- refreshing ---------------------------------------------------------------------------------------------

async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = true;
  clearTimeout(timer);
  try {
    const definitions = await api('GET', '/jobs/status');
    await Promise.all(definitions.map(showJob));
    placeJobs(definitions.map(definition => definition.Name));
    showBanner(null);
    const now = new Date();
    const lastRefresh = document.getElementById('last-refresh');
    lastRefresh.textContent = now.toLocaleTimeString();
    lastRefresh.dateTime = now.toISOString();
  } catch (e) {
    showBanner(e instanceof ApiError
      ? `The API answered ${e}; showing what it last answered.`
      : `The API is unreachable (${e.message}); showing what it last answered.`);
  } finally {
    document.getElementById('jobs').setAttribute('aria-busy', 'false');
    refreshing = false;
    timer = setTimeout(refresh, refreshAgain ? 0 : REFRESH_MILLIS);
    refreshAgain = false;
  }
}

function showBanner(text) {
  const banner = document.getElementById('error-banner');
  banner.textContent = text ?? '';
  banner.hidden = text === null;
}

/** Keeps the sections in the order the API lists the jobs, and drops those it no longer lists. */
function placeJobs(names) {
  const main = document.getElementById('jobs');
  for (const [name, section] of sections) {
    if (!names.includes(name)) {
      section.remove();
      sections.delete(name);
    }
  }
  names.forEach((name, index) => {
    const section = sections.get(name);
    if (main.children[index + 1] !== section) {
      main.insertBefore(section, main.children[index + 1] ?? null);
    }
  });
  document.getElementById('no-jobs').hidden = names.length > 0;
}

async function showJob(definition) {
  const name = definition.Name;
  const section = sections.get(name) ?? newSection(name);
  const visibility = section.querySelector('.visibility');
  visibility.textContent = definition.Visibility;
  visibility.dataset.visibility = definition.Visibility;
  section.querySelector('.image').textContent = definition.Image ?? '';
  section.querySelector('.parallel').textContent = `up to ${definition.NumberParallelJob} at a time`;
  showSchedules(section, definition.Schedules ?? []);
  const jobError = section.querySelector('.job-error');
  try {
    const listed = await api('GET', path('job', name));
    forgetDeleted(name, listed);
    const executions = listed.filter(execution => !deleted.has(execution.Id));
    // finished ones sort last
    const firstFinished = executions.sort(order).findIndex(execution => FINISHED.has(execution.Status));
    const shown = firstFinished < 0 ? executions : executions.slice(0, firstFinished + RECENT_FINISHED);
    await readEndTimes(name, shown);
    showExecutions(section, name, shown);
    showCounts(section, executions);
    jobError.hidden = true;
  } catch (e) {
    if (!(e instanceof ApiError)) {
      throw e;
    }
    jobError.textContent = `Its executions could not be read: ${e}`;
    jobError.hidden = false;
  }
}

function forgetDeleted(name, listed) {
  for (const [id, job] of deleted) {
    if (job === name && !listed.some(execution => execution.Id === id)) {
      deleted.delete(id);
    }
  }
}

async function readEndTimes(name, executions) {
  await Promise.all(executions
    .filter(execution => FINISHED.has(execution.Status) && !endTimes.has(execution.Id))
    .map(async execution => {
      try {
        const detail = await api('GET', path('job', name, execution.Id));
        if (detail.EndTimestamp > 0) {
          endTimes.set(execution.Id, detail.EndTimestamp);
        }
      } catch (e) {
        // deleted meanwhile, or the API away: the duration stays unknown until the next refresh
      }
    }));
}

// --- one job ------------------------------------------------------------------------------------------------

function newSection(name) {
  const section = document.getElementById('job-template').content.firstElementChild.cloneNode(true);
  section.id = `job-${name}`;
  section.dataset.testid = `job-${name}`;
  section.dataset.job = name;
  const heading = section.querySelector('.job-name');
  heading.id = `job-${name}-title`;
  heading.textContent = name;
  section.setAttribute('aria-labelledby', heading.id);
  section.querySelectorAll('[data-count]').forEach(count => {
    count.dataset.testid = `count-${name}-${count.dataset.count}`;
  });

  const form = section.querySelector('form.trigger');
  form.setAttribute('aria-label', `Trigger ${name}`);
  const overrides = form.querySelector('textarea');
  overrides.id = `overrides-${name}`;
  overrides.dataset.testid = `overrides-${name}`;
  const button = form.querySelector('button');
  button.dataset.testid = `trigger-${name}`;
  button.setAttribute('aria-label', `Trigger ${name}`);
  const result = form.querySelector('output');
  result.dataset.testid = `trigger-result-${name}`;
  form.addEventListener('submit', event => {
    event.preventDefault();
    trigger(name, overrides.value.trim(), button, result);
  });

  section.querySelector('.delete-result').dataset.testid = `delete-result-${name}`;
  section.querySelector('table.executions').dataset.testid = `executions-${name}`;
  section.querySelector('table.schedules').dataset.testid = `schedules-${name}`;
  sections.set(name, section);
  return section;
}

async function trigger(name, overrides, button, result) {
  button.disabled = true;
  showResult(result, 'Sending…', 'sending');
  delete result.dataset.id;
  try {
    const accepted = await api('POST', path('job', name), overrides === '' ? undefined : overrides);
    showResult(result, `Accepted: Id ${accepted.Id}`, 'accepted');
    result.dataset.id = accepted.Id;
    refresh();
  } catch (e) {
    showResult(result, e instanceof ApiError ? `Refused: ${e}` : `Not sent: ${e.message}`, 'refused');
  } finally {
    button.disabled = false;
  }
}

/** What became of an action the person took, kept until their next one. */
function showResult(element, text, outcome) {
  element.textContent = text;
  element.dataset.outcome = outcome;
}

function showCounts(section, executions) {
  const counts = { queued: 0, running: 0, succeeded: 0, failed: 0 };
  for (const execution of executions) {
    if (execution.Status === 'Queued') {
      counts.queued++;
    } else if (ACTIVE.has(execution.Status)) {
      counts.running++;
    } else if (execution.Status === 'Succeeded') {
      counts.succeeded++;
    } else if (execution.Status === 'Failed') {
      counts.failed++;
    }
  }
  for (const [kind, count] of Object.entries(counts)) {
    section.querySelector(`[data-count="${kind}"]`).textContent = String(count);
  }
}

/** Running ones first, then the queue in order, then finished ones newest first. */
function order(a, b) {
  const rank = execution => ACTIVE.has(execution.Status) ? 0 : execution.Status === 'Queued' ? 1 : 2;
  return rank(a) - rank(b)
    || (rank(a) === 1 ? a.PositionInQueue - b.PositionInQueue : b.InQueueTimestamp - a.InQueueTimestamp);
}

/** Shows the executions in the order given, keeping the row of each one seen before. */
function showExecutions(section, name, executions) {
  const body = section.querySelector('table.executions tbody');
  if (executions.length === 0) {
    body.replaceChildren(emptyRow(8, 'No executions.'));
    return;
  }
  const rows = new Map([...body.rows].filter(row => row.dataset.id).map(row => [row.dataset.id, row]));
  const listed = new Set();
  executions.forEach((execution, index) => {
    listed.add(execution.Id);
    const row = rows.get(execution.Id) ?? executionRow(name, execution.Id);
    fillExecution(row, execution);
    if (body.rows[index] !== row) {
      body.insertBefore(row, body.rows[index] ?? null);
    }
  });
  for (const row of [...body.rows]) {
    if (!listed.has(row.dataset.id)) {
      row.remove();
      endTimes.delete(row.dataset.id);
    }
  }
}

function executionRow(name, id) {
  const row = document.createElement('tr');
  row.dataset.id = id;
  row.dataset.testid = `execution-${id}`;
  const idCell = document.createElement('th');
  idCell.scope = 'row';
  const code = document.createElement('code');
  code.textContent = id;
  idCell.append(code);
  row.append(idCell);
  for (const field of ['status', 'position', 'reason', 'queued', 'started', 'duration']) {
    const cell = document.createElement('td');
    cell.className = field;
    row.append(cell);
  }
  const actions = document.createElement('td');
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'danger';
  remove.textContent = 'Delete';
  remove.setAttribute('aria-label', `Delete execution ${id}`);
  remove.dataset.testid = `delete-${id}`;
  remove.addEventListener('click', () => confirmDelete(name, id));
  actions.append(remove);
  row.append(actions);
  return row;
}

function fillExecution(row, execution) {
  row.dataset.status = execution.Status;
  const status = row.querySelector('.status');
  status.textContent = execution.Status;
  status.className = `status status-${execution.Status.toLowerCase()}`;
  row.querySelector('.position').textContent = execution.PositionInQueue > 0 ? String(execution.PositionInQueue) : '—';
  row.querySelector('.reason').textContent = execution.Reason
    ?? (execution.Status === 'Queued' ? 'waiting for a free slot' : '');
  showTime(row.querySelector('.queued'), execution.InQueueTimestamp);
  showTime(row.querySelector('.started'), execution.StartTimestamp);
  row.querySelector('.duration').textContent = duration(execution);
}

function duration(execution) {
  if (!(execution.StartTimestamp > 0)) {
    return '—';
  }
  const end = FINISHED.has(execution.Status) ? endTimes.get(execution.Id) : Date.now();
  return end === undefined ? '…' : formatDuration(Math.max(0, end - execution.StartTimestamp));
}

function formatDuration(millis) {
  const seconds = Math.round(millis / 1000);
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${seconds % 60} s`;
  }
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function showTime(cell, epochMillis) {
  if (!(epochMillis > 0)) {
    cell.textContent = '—';
    return;
  }
  const time = document.createElement('time');
  const at = new Date(epochMillis);
  time.dateTime = at.toISOString();
  time.textContent = at.toLocaleString();
  cell.replaceChildren(time);
}

function showSchedules(section, schedules) {
  const body = section.querySelector('table.schedules tbody');
  if (schedules.length === 0) {
    body.replaceChildren(emptyRow(6, 'No schedules.'));
    return;
  }
  body.replaceChildren(...schedules.map(schedule => {
    const row = document.createElement('tr');
    row.dataset.testid = `schedule-${schedule.Id}`;
    const id = document.createElement('th');
    id.scope = 'row';
    id.textContent = schedule.Id;
    const cron = document.createElement('td');
    const expression = document.createElement('code');
    expression.textContent = schedule.Schedule;
    cron.append(expression);
    const zone = document.createElement('td');
    zone.textContent = schedule.TimeZone;
    const source = document.createElement('td');
    source.textContent = schedule.Source;
    const next = document.createElement('td');
    next.className = 'next';
    showTime(next, schedule.NextExecutionTimestamp);
    const last = document.createElement('td');
    showTime(last, schedule.LastExecutionTimestamp);
    if (schedule.LastExecutionError) {
      last.append(` — ${schedule.LastExecutionError}`);
    }
    row.append(id, cron, zone, source, next, last);
    return row;
  }));
}

function emptyRow(columns, text) {
  const row = document.createElement('tr');
  const cell = document.createElement('td');
  cell.colSpan = columns;
  cell.className = 'empty';
  cell.textContent = text;
  row.append(cell);
  return row;
}

// --- deleting -----------------------------------------------------------------------------------------------

async function confirmDelete(name, id) {
  const dialog = document.getElementById('confirm-delete');
  document.getElementById('confirm-delete-id').textContent = id;
  document.getElementById('confirm-delete-job').textContent = name;
  dialog.returnValue = '';
  dialog.showModal();
  await new Promise(resolve => dialog.addEventListener('close', resolve, { once: true }));
  if (dialog.returnValue !== 'delete') {
    return;
  }
  const section = sections.get(name);
  const result = section?.querySelector('.delete-result');
  try {
    await api('DELETE', path('job', name, id));
    deleted.set(id, name);
    section?.querySelector(`tr[data-id="${CSS.escape(id)}"]`)?.remove();
    showResult(result, `Execution ${id} deleted.`, 'deleted');
    refresh();
  } catch (e) {
    showResult(result, e instanceof ApiError ? `Execution ${id} was not deleted: ${e}` : `Not sent: ${e.message}`,
      'refused');
  }
}

refresh();
