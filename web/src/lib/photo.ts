// Photo evidence for an escalation, made small before it is uploaded: the browser decodes
// the picture and redraws it at most MAX_SIDE pixels on its longest side as a JPEG (a phone
// photo of 4 MB becomes about 100 KB), which is then uploaded (POST /api/v1/attachments)
// and named in the escalation as "attachment:<id>".
export const MAX_SIDE = 1024;
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;

/** The size to draw a `width`×`height` picture at, keeping its shape. */
export function fitWithin(width: number, height: number, maxSide = MAX_SIDE): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export async function shrinkPhoto(file: File): Promise<File> {
  if (!file.type.startsWith('image/')) throw new Error('not-an-image');
  if (file.size > MAX_PHOTO_BYTES) throw new Error('too-large');
  const bitmap = await createImageBitmap(file);
  const size = fitWithin(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no-canvas');
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
  if (!blob) throw new Error('no-jpeg');
  return new File([blob], `${file.name.replace(/\.[^.]*$/, '') || 'photo'}.jpg`, { type: 'image/jpeg' });
}
