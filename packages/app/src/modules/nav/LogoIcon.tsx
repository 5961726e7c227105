/** Kubemate mark: a heptagon (a nod to Kubernetes' helm) with a "K". */
export const LogoIcon = () => (
  <svg
    width="28"
    height="28"
    viewBox="0 0 28 28"
    role="img"
    aria-label="Kubemate"
  >
    <polygon
      points="14,1 24.2,5.9 26.7,16.9 19.6,25.7 8.4,25.7 1.3,16.9 3.8,5.9"
      fill="#7df3e1"
    />
    <text
      x="14"
      y="19.5"
      textAnchor="middle"
      fontSize="14"
      fontWeight="700"
      fill="#151515"
    >
      K
    </text>
  </svg>
);
