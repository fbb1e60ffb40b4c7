// The areas of the shell: where each lives, its icon and how many planned features it lists.
import type { ReactNode } from 'react';
import type { Area } from './api';
import type { MessageKey } from './i18n';
import { OPEN_PATH } from './od-api';

interface AreaInfo {
  path: string;
  features: readonly MessageKey[];
  icon: ReactNode;
}

const feature = (area: Area, count: number): MessageKey[] => Array.from({ length: count }, (_, i) => `area.${area}.f${i + 1}` as MessageKey);

/** What the shell knows about each area; the server decides who may enter it. */
export const AREA_INFO: Readonly<Record<Area, AreaInfo>> = {
  operator: {
    path: '/operator',
    features: feature('operator', 4),
    icon: (
      <>
        <rect x="3" y="4" width="18" height="12" rx="2" />
        <path d="M8 20h8M12 16v4M7 12l3-3 2 2 4-4" />
      </>
    ),
  },
  department: {
    path: '/department',
    features: feature('department', 4),
    icon: <path d="M4 21V6l8-3 8 3v15M2 21h20M8 9h2M14 9h2M8 13h2M14 13h2M10 21v-4h4v4" />,
  },
  citizen: {
    path: '/citizen',
    features: feature('citizen', 4),
    icon: (
      <>
        <circle cx="12" cy="8" r="4" />
        <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" />
      </>
    ),
  },
  'open-data': {
    path: OPEN_PATH,
    features: feature('open-data', 3),
    icon: (
      <>
        <ellipse cx="12" cy="5" rx="8" ry="3" />
        <path d="M4 5v14c0 1.7 3.6 3 8 3s8-1.3 8-3V5M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3" />
      </>
    ),
  },
  community: {
    path: '/community',
    features: feature('community', 3),
    icon: <path d="M3 11l9-7 9 7M5 9.5V20h14V9.5M10 20v-5h4v5" />,
  },
  arena: {
    path: '/arena',
    features: feature('arena', 3),
    icon: <path d="M8 3h8v6a4 4 0 0 1-8 0V3zM8 5H5a3 3 0 0 0 3 5M16 5h3a3 3 0 0 1-3 5M12 13v4M8 21h8M9 17h6v4H9z" />,
  },
};

/** A line icon drawn in the current text colour. */
export function Icon({ children, size = 20 }: { children: ReactNode; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {children}
    </svg>
  );
}

/** The icon of the home page. */
export const HOME_ICON = (
  <>
    <rect x="3" y="3" width="7" height="7" rx="1.5" />
    <rect x="14" y="3" width="7" height="7" rx="1.5" />
    <rect x="3" y="14" width="7" height="7" rx="1.5" />
    <rect x="14" y="14" width="7" height="7" rx="1.5" />
  </>
);

/** Ludao's mark: an egret's wing over the sea. */
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#1456a8" />
      <path d="M7 20.5c4.5-.8 7.6-4 9-9.5 1 4.4 4.2 7.6 9 8.6-5.4 1.4-12 2.1-18 .9z" fill="#fff" />
      <path d="M6 24.5c3.3-1.2 6.7-1.2 10 0s6.7 1.2 10 0" stroke="#7fb6ff" strokeWidth="1.6" fill="none" strokeLinecap="round" />
    </svg>
  );
}
