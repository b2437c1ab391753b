// Every entry of a zip (a WACZ, a pack) read into memory: test files are small.
import yauzl from 'yauzl';

export async function unzipEntries(data: Buffer): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const zip = await new Promise<yauzl.ZipFile>((res, rej) =>
    yauzl.fromBuffer(data, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z))),
  );
  await new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.on('entry', (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => (out.set(entry.fileName, Buffer.concat(chunks)), zip.readEntry()));
      }),
    );
    zip.readEntry();
  });
  return out;
}
