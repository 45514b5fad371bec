// The legacy Node SDK `imagekit` 6.0.0 (npm) against the emulator, through the recording proxy:
// the same calls as workflow_python.py. Run by run.py (cwd and NODE_PATH: the scratch folder).
//
// The SDK hard-codes https://api.imagekit.io/... in every call and sends them with axios' default
// instance; an axios request interceptor on that instance (the one the SDK resolves) rewrites the
// two ImageKit hosts to the proxy. Nothing else about the requests is changed.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const { Steps, StepFailed, check, PROXY } = require('./harness.cjs');

const ImageKit = require('imagekit');
const axios = require(require.resolve('axios', { paths: [path.dirname(require.resolve('imagekit'))] }));

const CLIENT = 'node';
const EMULATOR = process.env.OC_EMULATOR;
const IMAGEKIT_ID = process.env.OC_IMAGEKIT_ID || 'emulator';
const FOLDER = '/node-sdk';

axios.interceptors.request.use((config) => {
  config.url = String(config.url).replace(/^https:\/\/(api|upload)\.imagekit\.io/, PROXY);
  config.proxy = false; // never an HTTP(S)_PROXY from the environment: loopback only
  return config;
});

/** GET a URL (loopback) and resolve with {status, headers, body}. */
function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

async function main() {
  const assets = process.env.OC_ASSETS;
  const png = fs.readFileSync(path.join(assets, 'sample.png'));
  const pngV2 = fs.readFileSync(path.join(assets, 'sample-v2.png'));
  const imagekit = new ImageKit({
    publicKey: process.env.OC_PUBLIC_KEY,
    privateKey: process.env.OC_PRIVATE_KEY,
    urlEndpoint: `${PROXY}/${IMAGEKIT_ID}`,
  });
  const s = new Steps(CLIENT);
  const ctx = s.ctx;
  const sorted = (a) => [...a].sort();

  await s.run('custom_metadata_fields.create', async () => {
    const res = await imagekit.createCustomMetadataField({
      name: 'price', label: 'Price', schema: { type: 'Number', minValue: 1, maxValue: 10000 },
    });
    check(res.name === 'price' && res.id, `unexpected field ${JSON.stringify(res)}`);
    ctx.cmfId = res.id;
  }, { expect: [201], recover: (b) => { ctx.cmfId = b.id; } });

  await s.run('files.upload[buffer]', async () => {
    const res = await imagekit.upload({
      file: png, fileName: 'quickstart.png', useUniqueFileName: false, tags: ['node-sdk', 'quickstart'],
      folder: `${FOLDER}/`, isPrivateFile: false, customMetadata: { price: 150 },
    });
    check(res.fileId && res.name === 'quickstart.png', `unexpected upload result name=${res.name}`);
    check(res.width === 16 && res.height === 16, `width/height ${res.width}x${res.height}, expected 16x16`);
    ctx.fileId = res.fileId;
    ctx.v1 = res.versionInfo.id;
  });

  await s.run('files.upload[unique name]', async () => {
    const res = await imagekit.upload({ file: png, fileName: 'buffer.png', tags: ['node-sdk'], folder: `${FOLDER}/` });
    check(res.name.startsWith('buffer_'), `expected a unique name buffer_*.png, got ${res.name}`);
    ctx.bufferId = res.fileId;
  });

  await s.run('files.upload[base64]', async () => {
    const res = await imagekit.upload({
      file: png.toString('base64'), fileName: 'base64.png', useUniqueFileName: false, folder: `${FOLDER}/`,
    });
    check(res.size === png.length, `size ${res.size}, expected ${png.length}`);
    ctx.base64Id = res.fileId;
  });

  await s.run('files.upload[url]', async () => {
    // A URL the emulator can fetch: its own delivery URL of the first upload (loopback).
    const res = await imagekit.upload({
      file: `${EMULATOR}/${IMAGEKIT_ID}${FOLDER}/quickstart.png`, fileName: 'from-url.png',
      useUniqueFileName: false, folder: `${FOLDER}/`,
    });
    check(res.size === png.length, `size ${res.size}, expected ${png.length}`);
    ctx.urlId = res.fileId;
  });

  await s.run('files.list', async () => {
    const res = await imagekit.listFiles();
    const names = res.map((f) => f.name);
    check(names.includes('quickstart.png') && names.includes('from-url.png'), `listed ${names}`);
  });

  await s.run('files.list[options]', async () => {
    const res = await imagekit.listFiles({
      type: 'file', sort: 'ASC_CREATED', path: `${FOLDER}/`, fileType: 'image', limit: 10, skip: 0, tags: ['quickstart'],
    });
    const names = res.map((f) => f.name);
    check(names.length === 1 && names[0] === 'quickstart.png', `listed ${names}, expected the file tagged quickstart`);
  });

  await s.run('files.list[searchQuery single quotes]', async () => {
    const res = await imagekit.listFiles({ searchQuery: "createdAt >= '2d' OR size < '2mb' OR format='png'" });
    check(res.length >= 4, `found ${res.length} files, expected the 4 uploaded`);
  });

  await s.run('files.list[tags IN single quotes]', async () => {
    const res = await imagekit.listFiles({ searchQuery: "tags IN ['quickstart', 'tag-2']" });
    const names = res.map((f) => f.name);
    check(names.length === 1 && names[0] === 'quickstart.png', `found ${names}`);
  });

  await s.run('files.details', async () => {
    const [fileId] = s.need('fileId');
    const res = await imagekit.getFileDetails(fileId);
    check(res.fileId === fileId, `fileId ${res.fileId}`);
    check(JSON.stringify(res.customMetadata) === '{"price":150}', `customMetadata ${JSON.stringify(res.customMetadata)}`);
  });

  await s.run('files.update_details', async () => {
    const [fileId] = s.need('fileId');
    const res = await imagekit.updateFileDetails(fileId, {
      tags: ['node-sdk', 'quickstart', 'updated'], customCoordinates: '1,1,4,4', customMetadata: { price: 250 },
    });
    check(JSON.stringify(res.tags) === '["node-sdk","quickstart","updated"]', `tags ${res.tags}`);
    check(JSON.stringify(res.customMetadata) === '{"price":250}', `customMetadata ${JSON.stringify(res.customMetadata)}`);
  });

  await s.run('files.add_tags', async () => {
    const [fileId] = s.need('fileId');
    const res = await imagekit.bulkAddTags([fileId], ['summer', 'sale']);
    check(JSON.stringify(res.successfullyUpdatedFileIds) === JSON.stringify([fileId]), `updated ${JSON.stringify(res)}`);
  });

  await s.run('files.remove_tags', async () => {
    const [fileId] = s.need('fileId');
    const res = await imagekit.bulkRemoveTags([fileId], ['sale']);
    check(JSON.stringify(res.successfullyUpdatedFileIds) === JSON.stringify([fileId]), `updated ${JSON.stringify(res)}`);
  });

  await s.run('folder.create', () => imagekit.createFolder({ folderName: 'archive', parentFolderPath: `${FOLDER}/` }),
    { expect: [201] });

  await s.run('files.copy', () => imagekit.copyFile({
    sourceFilePath: `${FOLDER}/quickstart.png`, destinationPath: `${FOLDER}/archive/`, includeFileVersions: false,
  }), { expect: [204] });

  await s.run('files.move', () => imagekit.moveFile({
    sourceFilePath: `${FOLDER}/from-url.png`, destinationPath: `${FOLDER}/archive/`,
  }), { expect: [204] });

  await s.run('files.rename', async () => {
    const res = await imagekit.renameFile({
      filePath: `${FOLDER}/archive/quickstart.png`, newFileName: 'renamed.png', purgeCache: true,
    });
    check(res.purgeRequestId, 'no purgeRequestId with purgeCache=true');
  });

  await s.run('files.upload[new version]', async () => {
    const [fileId] = s.need('fileId');
    const res = await imagekit.upload({
      file: pngV2, fileName: 'quickstart.png', useUniqueFileName: false, folder: `${FOLDER}/`, overwriteFile: true,
    });
    check(res.fileId === fileId, `fileId ${res.fileId}, expected the same file ${fileId}`);
    check(res.versionInfo.id !== ctx.v1, 'the version id did not change');
    ctx.v2 = res.versionInfo.id;
  });

  await s.run('files.versions', async () => {
    const [fileId] = s.need('fileId');
    const res = await imagekit.getFileVersions(fileId);
    check(res.length === 2, `${res.length} versions, expected 2`);
  });

  await s.run('files.version_details', async () => {
    const [fileId, v1] = s.need('fileId', 'v1');
    const res = await imagekit.getFileVersionDetails({ fileId, versionId: v1 });
    check(res.versionInfo.id === v1, `versionInfo.id ${res.versionInfo.id}`);
  });

  await s.run('files.restore_version', async () => {
    const [fileId, v1] = s.need('fileId', 'v1');
    const res = await imagekit.restoreFileVersion({ fileId, versionId: v1 });
    check(res.versionInfo.id === v1, `current version ${res.versionInfo.id}, expected ${v1}`);
  });

  await s.run('files.delete_version', () => {
    const [fileId, v2] = s.need('fileId', 'v2');
    // After restoring version 1, version 2 is no longer current and can be deleted.
    return imagekit.deleteFileVersion({ fileId, versionId: v2 });
  }, { expect: [204] });

  const pollJob = (key) => async () => {
    const [jobId] = s.need(key);
    // The emulator answers Pending on the first poll: poll as an application would.
    let res;
    for (let i = 0; i < 5; i += 1) {
      res = await imagekit.getBulkJobStatus(jobId);
      if (res.status === 'Completed') return;
    }
    throw new StepFailed(`status ${res.status} after 5 polls`);
  };

  await s.run('folder.copy', async () => {
    const res = await imagekit.copyFolder({
      sourceFolderPath: `${FOLDER}/archive`, destinationPath: `${FOLDER}/backup`, includeFileVersions: true,
    });
    check(res.jobId, 'no jobId');
    ctx.copyJob = res.jobId;
  });
  await s.run('bulk_jobs.status[copy]', pollJob('copyJob'));

  await s.run('folder.move', async () => {
    const res = await imagekit.moveFolder({ sourceFolderPath: `${FOLDER}/backup`, destinationPath: `${FOLDER}/archive` });
    check(res.jobId, 'no jobId');
    ctx.moveJob = res.jobId;
  });
  await s.run('bulk_jobs.status[move]', pollJob('moveJob'));

  await s.run('custom_metadata_fields.list', async () => {
    const res = await imagekit.getCustomMetadataFields({ includeDeleted: false });
    const names = res.map((f) => f.name);
    check(names.length === 1 && names[0] === 'price', `fields ${names}`);
  });

  await s.run('custom_metadata_fields.update', async () => {
    const [cmfId] = s.need('cmfId');
    const res = await imagekit.updateCustomMetadataField(cmfId, { label: 'Price (USD)', schema: { minValue: 1, maxValue: 20000 } });
    check(res.label === 'Price (USD)', `label ${res.label}`);
  });

  await s.run('cache.purge', async () => {
    const res = await imagekit.purgeCache(`${PROXY}/${IMAGEKIT_ID}${FOLDER}/quickstart.png`);
    check(res.requestId, 'no requestId');
    ctx.purgeId = res.requestId;
  }, { expect: [201], recover: (b) => { ctx.purgeId = b.requestId; } });

  await s.run('cache.purge_status', async () => {
    const [purgeId] = s.need('purgeId');
    let res;
    for (let i = 0; i < 5; i += 1) {
      res = await imagekit.getPurgeCacheStatus(purgeId);
      if (res.status === 'Completed') return;
    }
    throw new StepFailed(`status ${res.status} after 5 polls`);
  });

  await s.run('files.metadata', async () => {
    const [fileId] = s.need('fileId');
    const res = await imagekit.getFileMetadata(fileId);
    check(res.width === 16 && res.height === 16 && res.format === 'png', `${res.width}x${res.height} ${res.format}`);
  });

  await s.run('metadata.from_url', async () => {
    const res = await imagekit.getFileMetadata(`${EMULATOR}/${IMAGEKIT_ID}${FOLDER}/base64.png`);
    check(res.width === 16 && res.format === 'png', `${res.width} ${res.format}`);
  });

  await s.run('url.signed + delivery', async () => {
    const url = imagekit.url({
      path: `${FOLDER}/quickstart.png`, transformation: [{ height: '8', width: '8' }], signed: true, expireSeconds: 300,
    });
    check(url.includes('ik-s=') && url.includes('ik-t='), `not a signed URL: ${url}`);
    const res = await get(url);
    check(res.status === 200, `GET signed URL: ${res.status} ${res.body.toString().slice(0, 200)}`);
    check(String(res.headers['content-type']).startsWith('image/'), `content-type ${res.headers['content-type']}`);
  });

  await s.run('url.query_transformation + delivery', async () => {
    const url = imagekit.url({ path: `${FOLDER}/base64.png`, transformation: [{ width: '8' }], transformationPosition: 'query' });
    check(url.includes('?tr=w-8'), `no ?tr= in ${url}`);
    const res = await get(url);
    check(res.status === 200, `GET: ${res.status} ${res.body.toString().slice(0, 200)}`);
  });

  await s.run('custom_metadata_fields.create[required]', async () => {
    const res = await imagekit.createCustomMetadataField({
      name: 'color', label: 'Color', schema: { type: 'Text', isValueRequired: true, defaultValue: 'none' },
    });
    ctx.requiredId = res.id;
  }, { expect: [201], recover: (b) => { ctx.requiredId = b.id; } });

  await s.run('files.upload[required field default]', async () => {
    // service-facts §5: a file uploaded without a value for a required field gets its default.
    const res = await imagekit.upload({ file: png, fileName: 'defaults.png', useUniqueFileName: false, folder: `${FOLDER}/` });
    ctx.defaultsId = res.fileId;
    const got = (await imagekit.getFileDetails(res.fileId)).customMetadata;
    check(JSON.stringify(got) === '{"color":"none"}', `customMetadata ${JSON.stringify(got)}, expected the required field's default`);
  });

  await s.run('files.bulk_delete', async () => {
    const ids = s.need('bufferId', 'base64Id').concat(ctx.defaultsId ? [ctx.defaultsId] : []);
    const res = await imagekit.bulkDeleteFiles(ids);
    check(JSON.stringify(sorted(res.successfullyDeletedFileIds)) === JSON.stringify(sorted(ids)),
      `deleted ${JSON.stringify(res)}`);
  });

  await s.run('files.delete', () => imagekit.deleteFile(s.need('fileId')[0]), { expect: [204] });
  await s.run('folder.delete', () => imagekit.deleteFolder(`${FOLDER}/archive`), { expect: [204] });
  await s.run('custom_metadata_fields.delete', () => imagekit.deleteCustomMetadataField(s.need('cmfId')[0]),
    { expect: [204] });
  await s.run('custom_metadata_fields.delete[required]',
    () => imagekit.deleteCustomMetadataField(s.need('requiredId')[0]), { expect: [204] });

  s.summary();
  return s.failed === 0 ? 0 : 1;
}

// Exit explicitly: axios keeps idle keep-alive sockets to the proxy, which would hold the process.
const exit = (code) => process.stdout.write('', () => process.exit(code));
main().then(exit, (err) => {
  console.error(`node workflow crashed: ${err && err.stack ? err.stack : err}`);
  exit(2);
});
