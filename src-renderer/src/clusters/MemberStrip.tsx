/** A row of member crops: click selects (Ctrl/Shift adds), double-click opens the viewer, drag carries the selection (or this one member). */
import type { DragEvent, MouseEvent } from 'react';
import type { ClusterMember } from '../../../src-main/api/contract';
import { MEMBERS_MIME } from './colours';
import { CropImage } from './MemberCrop';

export function MemberTile({
  member,
  selected,
  size,
  onSelect,
  onOpen,
  dragIds,
}: {
  member: ClusterMember;
  selected: boolean;
  size: number;
  onSelect(imageId: number, additive: boolean): void;
  /** Opens the member (the whole image and its mask) in the viewer. */
  onOpen?(imageId: number): void;
  /** The ids a drag starting here carries. */
  dragIds(imageId: number): number[];
}) {
  function onDragStart(e: DragEvent<HTMLDivElement>) {
    e.dataTransfer.setData(MEMBERS_MIME, JSON.stringify(dragIds(member.imageId)));
    e.dataTransfer.effectAllowed = 'move';
  }
  function onClick(e: MouseEvent<HTMLDivElement>) {
    e.stopPropagation();
    onSelect(member.imageId, e.ctrlKey || e.metaKey || e.shiftKey);
  }
  const file = member.relPath.split('/').pop() ?? member.relPath;
  return (
    <div
      className={selected ? 'member selected' : 'member'}
      draggable
      onDragStart={onDragStart}
      onClick={onClick}
      onDoubleClick={(e) => {
        e.stopPropagation();
        onOpen?.(member.imageId);
      }}
      title={`${member.relPath}${member.manual ? ' (placed by hand: a re-run keeps it here)' : ''} · double-click to open`}
      data-testid="member"
      data-image-id={member.imageId}
      data-manual={member.manual ? 'true' : 'false'}
      data-selected={selected ? 'true' : 'false'}
    >
      <CropImage imageId={member.imageId} maskId={member.maskId} size={size} />
      {member.manual && <span className="member-manual" title="Placed by hand">hand</span>}
      <span className="member-name mono">{file}</span>
    </div>
  );
}
