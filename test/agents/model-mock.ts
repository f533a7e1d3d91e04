import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a vendor's model API on 127.0.0.1, so a real agent CLI runs offline. The conversation is
 * scripted: while fewer tool results than `calls` have come back, the model asks for the next call; then it
 * says `done`. Every request body is kept, so a test can read what the agent sent back to the model.
 */
export type Vendor = 'anthropic' | 'openai' | 'gemini';

/** One scripted tool call: `input` is the JSON arguments, `raw` the text of a freeform tool (Codex apply_patch). */
export interface ScriptedCall {
  tool: string;
  input?: Record<string, unknown>;
  raw?: string;
}

export interface ModelMock {
  url: string;
  port: number;
  /** Every request body, in order. */
  requests: unknown[];
  /** The tool results the agent reported back, as text, in order. */
  toolResults(): string[];
  close(): Promise<void>;
}

type Json = Record<string, any>;

/** Tool results of one request, per vendor format. */
function resultsIn(vendor: Vendor, body: Json): string[] {
  const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
  if (vendor === 'anthropic') {
    return (body.messages ?? []).flatMap((m: Json) => (Array.isArray(m.content) ? m.content : [])).filter((c: Json) => c?.type === 'tool_result').map((c: Json) => text(c.content));
  }
  if (vendor === 'openai') return (Array.isArray(body.input) ? body.input : []).filter((i: Json) => /_call_output$/.test(i?.type ?? '')).map((i: Json) => text(i.output));
  return (body.contents ?? []).flatMap((c: Json) => c.parts ?? []).filter((p: Json) => p?.functionResponse).map((p: Json) => text(p.functionResponse.response));
}

function anthropic(body: Json, calls: ScriptedCall[], res: ServerResponse, url: string): void {
  if (url.startsWith('/v1/messages/count_tokens')) return json(res, { input_tokens: 10 });
  if (!url.startsWith('/v1/messages')) return json(res, { type: 'error', error: { type: 'not_found_error', message: 'not found' } }, 404);
  const offered = (body.tools ?? []).map((t: Json) => t.name);
  const step = resultsIn('anthropic', body).length;
  const call = calls[step];
  // Side requests (titles, summaries) offer no tools: they get a short text.
  const block = call && offered.includes(call.tool)
    ? { type: 'tool_use', id: `toolu_${step}_${Date.now()}`, name: call.tool, input: call.input ?? {} }
    : { type: 'text', text: offered.length ? 'done' : 'ok' };
  const stop = block.type === 'tool_use' ? 'tool_use' : 'end_turn';
  const message = { id: `msg_${Date.now()}`, type: 'message', role: 'assistant', model: body.model ?? 'mock', content: [block], stop_reason: stop, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 5 } };
  if (!body.stream) return json(res, message);
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const ev = (type: string, data: Json) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  ev('message_start', { message: { ...message, content: [], stop_reason: null } });
  if (block.type === 'tool_use') {
    ev('content_block_start', { index: 0, content_block: { ...block, input: {} } });
    ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify((block as Json).input) } });
  } else {
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: (block as Json).text } });
  }
  ev('content_block_stop', { index: 0 });
  ev('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 5 } });
  ev('message_stop', {});
  res.end();
}

function openai(body: Json, calls: ScriptedCall[], res: ServerResponse, url: string, method: string): void {
  if (method === 'GET' && url.includes('/models')) return json(res, { object: 'list', data: [], models: [] });
  if (!url.includes('/responses')) return json(res, { error: { message: 'not found' } }, 404);
  const tools: Json[] = body.tools ?? [];
  const nameOf = (t: Json) => t.name ?? t.function?.name ?? t.type;
  const step = resultsIn('openai', body).length;
  const call = calls[step];
  const def = call && tools.find((t) => nameOf(t) === call.tool);
  const id = `${step}_${Date.now()}`;
  let item: Json;
  if (call && def?.type === 'custom') item = { type: 'custom_tool_call', id: `ctc_${id}`, status: 'completed', call_id: `call_${id}`, name: call.tool, input: call.raw ?? '' };
  else if (call && def) item = { type: 'function_call', id: `fc_${id}`, status: 'completed', call_id: `call_${id}`, name: call.tool, arguments: JSON.stringify(call.input ?? {}) };
  else item = { type: 'message', id: `msg_${id}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: tools.length ? 'done' : 'ok', annotations: [] }] };
  const usage = { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 15 };
  const response = { id: `resp_${id}`, object: 'response', created_at: Math.floor(Date.now() / 1000), status: 'completed', model: body.model ?? 'mock', output: [item], usage };
  if (!body.stream) return json(res, response);
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let n = 0;
  const ev = (type: string, data: Json) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: n++, ...data })}\n\n`);
  ev('response.created', { response: { ...response, status: 'in_progress', output: [] } });
  ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress' } });
  if (item.type === 'message') ev('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: item.content[0].text });
  ev('response.output_item.done', { output_index: 0, item });
  ev('response.completed', { response });
  res.end();
}

function gemini(body: Json, calls: ScriptedCall[], res: ServerResponse, url: string): void {
  if (url.includes(':countTokens')) return json(res, { totalTokens: 10 });
  if (!/:(stream)?[gG]enerateContent/.test(url)) return json(res, { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } }, 404);
  const offered = (body.tools ?? []).flatMap((t: Json) => (t.functionDeclarations ?? []).map((f: Json) => f.name));
  const step = resultsIn('gemini', body).length;
  const call = calls[step];
  let part: Json;
  if (call && offered.includes(call.tool)) part = { functionCall: { name: call.tool, args: call.input ?? {} } };
  // The CLI's model router asks for a JSON verdict before the turn.
  else if (body.generationConfig?.responseMimeType === 'application/json') part = { text: JSON.stringify({ reasoning: 'mock', next_speaker: 'user', complexity_reasoning: 'mock', complexity_score: 1, model_choice: 'flash' }) };
  else part = { text: offered.length ? 'done' : 'ok' };
  const chunk = { candidates: [{ content: { role: 'model', parts: [part] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 }, modelVersion: 'mock' };
  if (url.includes(':streamGenerateContent')) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    return void res.end();
  }
  json(res, chunk);
}

function json(res: ServerResponse, value: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** Start a mock of `vendor` on a free port of 127.0.0.1, answering with `calls`. */
export async function startModelMock(vendor: Vendor, calls: ScriptedCall[]): Promise<ModelMock> {
  const requests: unknown[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Json = {};
      try {
        const raw = Buffer.concat(chunks).toString('utf8');
        body = raw ? (JSON.parse(raw) as Json) : {};
      } catch {
        body = {};
      }
      requests.push(body);
      const url = req.url ?? '';
      try {
        if (vendor === 'anthropic') anthropic(body, calls, res, url);
        else if (vendor === 'openai') openai(body, calls, res, url, req.method ?? 'GET');
        else gemini(body, calls, res, url);
      } catch {
        res.writeHead(500);
        res.end();
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    toolResults: () => {
      // Each request repeats the conversation so far: the last one holds every result.
      let best: string[] = [];
      for (const r of requests) {
        const found = resultsIn(vendor, r as Json);
        if (found.length >= best.length) best = found;
      }
      return best;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
