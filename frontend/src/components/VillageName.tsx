/** A village's Chinese name with its Tibetan name (in a Tibetan-capable font) beside it. */
export function VillageName({ name, nameBo }: { name: string; nameBo?: string | null }) {
  return (
    <span>
      {name}
      {nameBo ? (
        <>
          {" "}
          <span lang="bo" className="bo">
            {nameBo}
          </span>
        </>
      ) : null}
    </span>
  );
}
