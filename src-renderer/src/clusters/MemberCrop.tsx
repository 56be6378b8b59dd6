/** One member's crop (see crops.ts); while it is made, an empty tile of the same size. */
import { useEffect, useState } from 'react';
import { cropOf, type Crop } from './crops';

export function useCrop(imageId: number, maskId: number): Crop | null {
  const [crop, setCrop] = useState<Crop | null>(null);
  useEffect(() => {
    let live = true;
    setCrop(null);
    cropOf(imageId, maskId).then((c) => live && setCrop(c));
    return () => {
      live = false;
    };
  }, [imageId, maskId]);
  return crop;
}

export function CropImage({ imageId, maskId, size }: { imageId: number; maskId: number; size: number }) {
  const crop = useCrop(imageId, maskId);
  const box = { width: size, height: size };
  if (!crop) return <div className="crop crop-loading" style={box} data-testid="crop-loading" />;
  if (crop.kind === 'failed') {
    return (
      <div className="crop crop-failed" style={box} title={crop.reason} data-testid="crop-failed">
        !
      </div>
    );
  }
  if (crop.kind === 'whole') {
    // White mask × tint screened onto the image: the defect shows tinted without reading pixels.
    return (
      <div className="crop" style={box} data-testid="crop" data-crop="whole">
        <img src={crop.imageSrc} alt="" draggable={false} />
        <div className="crop-blend">
          <img src={crop.maskSrc} alt="" draggable={false} />
        </div>
      </div>
    );
  }
  return (
    <div className="crop" style={box} data-testid="crop" data-crop="bbox">
      <img src={crop.src} alt="" draggable={false} />
    </div>
  );
}
