/**
 * The portal's icons: Lucide's, drawn as inline SVG. Only the icons named here are bundled
 * (the package has no side effects, so the bundler drops the rest).
 */
import {
  ChevronLeft,
  ChevronRight,
  CircleAlert,
  CircleCheck,
  CreditCard,
  createElement,
  Headset,
  type IconNode,
  Inbox,
  LayoutDashboard,
  MessageSquareText,
  ReceiptText,
  Settings,
  TriangleAlert,
  X,
} from 'lucide';

const ICONS = {
  orders: ReceiptText,
  methods: CreditCard,
  notices: MessageSquareText,
  settings: Settings,
  ops: LayoutDashboard,
  support: Headset,
  inbox: Inbox,
  back: ChevronLeft,
  forward: ChevronRight,
  close: X,
  error: CircleAlert,
  warning: TriangleAlert,
  success: CircleCheck,
} satisfies Record<string, IconNode>;

export type IconName = keyof typeof ICONS;

/** An icon that decorates a labelled control: hidden from screen readers, sized by CSS (1em by default). */
export function icon(name: IconName, size = 20): SVGElement {
  return createElement(ICONS[name], { width: size, height: size, class: `icon icon--${name}`, 'aria-hidden': 'true', focusable: 'false' });
}
