/**
 * Alipay's daily trade bill (`alipay.data.dataservice.bill.downloadurl.query`, bill_type
 * `trade`, https://opendocs.alipay.com/open/02e7gr): a zip of GBK-encoded CSV files, the
 * detail one named `…_业务明细.csv`, comment lines starting with `#`, values padded with a
 * tab, times in Beijing time, amounts in yuan. Read with Node's own zlib and GBK decoder.
 */
import { inflateRawSync } from 'node:zlib';

/** The files of a zip archive (stored or deflated entries, as Alipay's are). */
export function unzip(archive: Buffer): Array<{ name: string; data: Buffer }> {
  let end = -1;
  for (let i = archive.length - 22; i >= Math.max(0, archive.length - 22 - 0xffff); i--) {
    if (archive.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('the Alipay bill is not a zip archive');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files: Array<{ name: string; data: Buffer }> = [];
  for (let n = 0; n < count; n++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error('the Alipay bill has a broken zip directory');
    const flags = archive.readUInt16LE(at + 8);
    const method = archive.readUInt16LE(at + 10);
    const compressedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const localOffset = archive.readUInt32LE(at + 42);
    const rawName = archive.subarray(at + 46, at + 46 + nameLength);
    // Bit 11 says UTF-8; otherwise the name is in the creator's code page, GBK for Alipay.
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'gbk').decode(rawName);
    const dataStart = localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
    const raw = archive.subarray(dataStart, dataStart + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`the Alipay bill uses zip method ${method}`);
    files.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

export interface BillRow {
  tradeNo: string;
  outTradeNo: string;
  /** 业务类型: 交易 (a payment) or 退款 (a refund). */
  kind: string;
  /** When the trade completed, as an instant. */
  completedAt: Date;
  /** 订单金额 in fen. */
  amount: number;
  /** 备注 (the trade's `body`). */
  note: string;
}

/** `12.34` or `-12.34` yuan → fen, exactly. */
export function fenFromYuan(text: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new Error(`not an amount in yuan: ${JSON.stringify(text)}`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '0').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** Beijing wall time `yyyy-MM-dd HH:mm:ss` → the instant. */
export function beijingInstant(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`not a Beijing time: ${JSON.stringify(text)}`);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]! - 8, +m[5]!, +m[6]!));
}

/** A CSV line split on commas, honouring double quotes. */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((v) => v.trim());
}

const COLUMNS = { tradeNo: '支付宝交易号', outTradeNo: '商户订单号', kind: '业务类型', completedAt: '完成时间', amount: '订单金额（元）', note: '备注' } as const;

/** The rows of the detail bill (`…_业务明细.csv`) in a downloaded bill archive. */
export function parseTradeBill(archive: Buffer): BillRow[] {
  const detail = unzip(archive).find((f) => f.name.endsWith('业务明细.csv'));
  if (!detail) throw new Error('the Alipay bill archive has no 业务明细.csv');
  const lines = new TextDecoder('gbk')
    .decode(detail.data)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const [head, ...rows] = lines;
  if (!head) return [];
  const names = splitCsv(head);
  const index = Object.fromEntries(Object.entries(COLUMNS).map(([key, title]) => [key, names.indexOf(title)])) as Record<keyof typeof COLUMNS, number>;
  for (const [key, i] of Object.entries(index)) if (i < 0) throw new Error(`the Alipay bill has no column ${COLUMNS[key as keyof typeof COLUMNS]}`);
  return rows.map((line) => {
    const v = splitCsv(line);
    return {
      tradeNo: v[index.tradeNo]!,
      outTradeNo: v[index.outTradeNo]!,
      kind: v[index.kind]!,
      completedAt: beijingInstant(v[index.completedAt]!),
      amount: fenFromYuan(v[index.amount]!),
      note: v[index.note] ?? '',
    };
  });
}
