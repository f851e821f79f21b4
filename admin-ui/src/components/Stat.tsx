/** One figure of a report, large, with what it is under it. */
export function Stat({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div className="comeback-stat" role="listitem" data-testid={`stat-${id}`}>
      <div className="comeback-stat__value">{value}</div>
      <div className="comeback-stat__label">{label}</div>
    </div>
  );
}
