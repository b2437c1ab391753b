/** The console's two languages: Vietnamese by default, English by a toggle. */
export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

type Entry = readonly [vi: string, en: string];

const T = {
  appName: ['Radar hàng giả', 'Counterfeit radar'],
  skip: ['Bỏ qua đến nội dung chính', 'Skip to main content'],
  queue: ['Hàng đợi', 'Queue'],
  overview: ['Tổng quan', 'Overview'],
  exports: ['Xuất dữ liệu', 'Exports'],
  networks: ['Mạng lưới', 'Networks'],
  logout: ['Đăng xuất', 'Log out'],
  login: ['Đăng nhập', 'Log in'],
  username: ['Tên đăng nhập', 'User name'],
  password: ['Mật khẩu', 'Password'],
  newPassword: ['Mật khẩu mới (ít nhất 10 ký tự)', 'New password (at least 10 characters)'],
  changePassword: ['Đổi mật khẩu', 'Change password'],
  mustChange: ['Đây là mật khẩu dùng một lần. Hãy đặt mật khẩu mới.', 'This is a one-time password. Please choose a new one.'],
  badLogin: ['Sai tên đăng nhập hoặc mật khẩu.', 'Wrong user name or password.'],
  rateLimited: ['Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau 15 phút.', 'Too many wrong passwords. Try again in 15 minutes.'],
  language: ['Ngôn ngữ', 'Language'],
  switchLang: ['English', 'Tiếng Việt'],
  signedInAs: ['Đăng nhập với', 'Signed in as'],
  leads: ['Đầu mối', 'Leads'],
  total: ['Tổng số', 'Total'],
  filters: ['Bộ lọc', 'Filters'],
  apply: ['Lọc', 'Apply'],
  clear: ['Xóa bộ lọc', 'Clear filters'],
  province: ['Tỉnh/thành', 'Province'],
  allProvinces: ['Tất cả tỉnh/thành', 'All provinces'],
  marketplace: ['Sàn', 'Marketplace'],
  brand: ['Thương hiệu', 'Brand'],
  minScore: ['Điểm từ', 'Score from'],
  maxScore: ['Điểm đến', 'Score to'],
  status: ['Trạng thái', 'Status'],
  assignee: ['Người phụ trách', 'Assignee'],
  unassigned: ['Chưa giao', 'Unassigned'],
  isoWeek: ['Tuần (ISO)', 'ISO week'],
  kind: ['Loại', 'Kind'],
  network: ['Mạng lưới', 'Network'],
  provinceSource: ['Nguồn tỉnh/thành', 'Province source'],
  sort: ['Sắp xếp', 'Sort'],
  sortScore: ['Điểm cao nhất', 'Highest score'],
  sortLast: ['Gắn cờ gần nhất', 'Last flagged'],
  any: ['Tất cả', 'Any'],
  score: ['Điểm', 'Score'],
  subject: ['Đối tượng', 'Subject'],
  shop: ['Cửa hàng', 'Shop'],
  reasons: ['Lý do', 'Reasons'],
  lastFlagged: ['Gắn cờ lần cuối', 'Last flagged'],
  firstFlagged: ['Gắn cờ lần đầu', 'First flagged'],
  nextPage: ['Trang sau', 'Next page'],
  firstPage: ['Trang đầu', 'First page'],
  noLeads: ['Không có đầu mối nào khớp bộ lọc.', 'No leads match these filters.'],
  select: ['Chọn', 'Select'],
  selectAll: ['Chọn tất cả trên trang', 'Select all on this page'],
  bulkActions: ['Thao tác hàng loạt', 'Bulk actions'],
  bulkSetStatus: ['Đặt trạng thái', 'Set status'],
  bulkAssign: ['Giao cho', 'Assign to'],
  action: ['Thao tác', 'Action'],
  run: ['Thực hiện', 'Run'],
  note: ['Ghi chú', 'Note'],
  save: ['Lưu', 'Save'],
  assign: ['Giao việc', 'Assign'],
  assignTo: ['Giao cho (tên)', 'Assign to (name)'],
  captureNow: ['Chụp bằng chứng ngay', 'Capture evidence now'],
  downloadPack: ['Tải gói bằng chứng (.zip)', 'Download evidence pack (.zip)'],
  price: ['Giá', 'Price'],
  reference: ['Giá tham chiếu', 'Reference price'],
  ofReference: ['so với giá tham chiếu', 'of the reference price'],
  address: ['Địa chỉ', 'Address'],
  ward: ['Phường/xã', 'Ward'],
  addressQuality: ['Chất lượng địa chỉ', 'Address quality'],
  evidence: ['Bằng chứng', 'Evidence'],
  noEvidence: ['Chưa có bằng chứng được lưu.', 'No evidence captured yet.'],
  noScreenshot: ['Không có ảnh chụp màn hình cho lần lưu này.', 'No screenshot in this capture.'],
  screenshotOf: ['Ảnh chụp trang', 'Screenshot of'],
  capturedAt: ['Thời điểm lưu', 'Captured at'],
  files: ['Tệp', 'Files'],
  verification: ['Kiểm tra toàn vẹn', 'Verification'],
  verified: ['Khớp mã băm lúc lưu', 'Matches the capture hash'],
  notVerified: ['KHÔNG khớp mã băm lúc lưu', 'Does NOT match the capture hash'],
  missingFile: ['Thiếu tệp trên đĩa', 'File missing on disk'],
  noHash: ['Không có mã băm', 'No hash recorded'],
  history: ['Lịch sử', 'History'],
  members: ['Thành viên', 'Members'],
  links: ['Liên kết', 'Links'],
  viewGraph: ['Xem sơ đồ mạng lưới', 'View the network graph'],
  listings: ['Tin đăng', 'Listings'],
  actions: ['Thao tác', 'Actions'],
  detail: ['Chi tiết', 'Detail'],
  actor: ['Người thực hiện', 'By'],
  at: ['Lúc', 'At'],
  event: ['Sự kiện', 'Event'],
  notFound: ['Không tìm thấy.', 'Not found.'],
  forbidden: ['Không có quyền.', 'Forbidden.'],
  readOnly: ['Tài khoản chỉ xem: không thể thay đổi.', 'Read-only account: changes are not allowed.'],
  saved: ['Đã lưu.', 'Saved.'],
  captureQueued: ['Đã yêu cầu chụp bằng chứng.', 'Evidence capture requested.'],
  bulkDone: ['Đã cập nhật {n} đầu mối.', 'Updated {n} lead(s).'],
  perProvinceWeek: ['Số đầu mối theo tỉnh/thành và tuần', 'Leads per province and week'],
  perWeek: ['Số đầu mối theo tuần', 'Leads per week'],
  tileGrid: ['Đầu mối đang mở theo tỉnh/thành (34 tỉnh/thành, 2025)', 'Open leads per province (34 provinces, 2025)'],
  confirmedShare: ['Tỷ lệ xác nhận theo phiên bản chấm điểm', 'Confirmed share per scoring version'],
  scoringVersion: ['Phiên bản chấm điểm', 'Scoring version'],
  confirmed: ['Xác nhận', 'Confirmed'],
  dismissed: ['Bỏ qua', 'Dismissed'],
  reviewed: ['Đã xem xét', 'Reviewed'],
  open: ['Đang mở', 'Open'],
  share: ['Tỷ lệ', 'Share'],
  week: ['Tuần', 'Week'],
  thisWeekExports: ['Danh sách tuần theo tỉnh/thành', 'Weekly lists per province'],
  exportsHelp: [
    'Đầu mối được gắn cờ trong tuần (trừ đã bỏ qua), một tệp cho mỗi tỉnh/thành bạn được xem.',
    'Leads flagged during the week (dismissed left out), one file per province you may see.',
  ],
  packs: ['Gói bằng chứng', 'Evidence packs'],
  packsHelp: ['Nhập mã đầu mối để tải gói bằng chứng đã ký mã băm.', 'Enter a lead id to download its hashed evidence pack.'],
  leadId: ['Mã đầu mối', 'Lead id'],
  download: ['Tải về', 'Download'],
  unknownProvince: ['BCĐ 389 quốc gia (chưa rõ tỉnh/thành)', 'National committee (no province)'],
  leadsCount: ['Số đầu mối', 'Leads'],
  graphHelp: [
    'Nút là cửa hàng (màu theo sàn), cạnh là liên kết theo loại; cạnh đậm là liên kết mạnh.',
    'Nodes are shops (coloured by marketplace), edges are links by kind; thick edges are strong links.',
  ],
  strength: ['Độ mạnh', 'Strength'],
  strong: ['mạnh', 'strong'],
  medium: ['trung bình', 'medium'],
  weak: ['yếu', 'weak'],
  phone: ['Số điện thoại', 'Phone'],
  taxCode: ['Mã số thuế', 'Tax code'],
  name: ['Tên', 'Name'],
  role: ['Vai trò', 'Role'],
  scope: ['Phạm vi', 'Scope'],
  error: ['Lỗi', 'Error'],
  back: ['Quay lại', 'Back'],
  yourProvinces: ['Tỉnh/thành của bạn', 'Your provinces'],
  allOfMine: ['Tất cả trong phạm vi', 'Everything in scope'],
} as const satisfies Record<string, Entry>;

export type MessageKey = keyof typeof T;

export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = T[key][lang === 'vi' ? 0 : 1];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

const STATUS: Record<string, Entry> = {
  new: ['Mới', 'New'],
  reviewing: ['Đang xem xét', 'Reviewing'],
  confirmed: ['Xác nhận vi phạm', 'Confirmed'],
  dismissed: ['Bỏ qua', 'Dismissed'],
  referred: ['Đã chuyển cơ quan chức năng', 'Referred'],
};
const KIND: Record<string, Entry> = { listing: ['Tin đăng', 'Listing'], shop: ['Cửa hàng', 'Shop'], network: ['Mạng lưới', 'Network'] };
const ADDRESS_QUALITY: Record<string, Entry> = {
  complete: ['Đầy đủ', 'Complete'],
  ward_province: ['Phường/xã và tỉnh', 'Ward and province'],
  province_only: ['Chỉ có tỉnh/thành', 'Province only'],
  placeholder: ['Địa chỉ giả/chung chung', 'Placeholder'],
  missing: ['Không có địa chỉ', 'Missing'],
  inconsistent: ['Không nhất quán', 'Inconsistent'],
  overseas: ['Ở nước ngoài', 'Overseas'],
};
const EVENT: Record<string, Entry> = {
  created: ['Tạo mới', 'Created'],
  reflagged: ['Gắn cờ lại', 'Re-flagged'],
  status: ['Đổi trạng thái', 'Status changed'],
  note: ['Ghi chú', 'Note'],
  reopened: ['Mở lại', 'Re-opened'],
  evidence: ['Bằng chứng', 'Evidence'],
  assigned: ['Giao việc', 'Assigned'],
  capture_requested: ['Yêu cầu chụp bằng chứng', 'Capture requested'],
  pack_downloaded: ['Tải gói bằng chứng', 'Pack downloaded'],
};
const LINK_KIND: Record<string, Entry> = {
  phone: ['Số điện thoại', 'Phone'],
  tax_code: ['Mã số thuế', 'Tax code'],
  address: ['Địa chỉ', 'Address'],
  name: ['Tên gần giống', 'Name'],
};
const ROLE: Record<string, Entry> = {
  admin: ['Quản trị', 'Admin'],
  national: ['Cấp quốc gia', 'National'],
  provincial: ['Cấp tỉnh', 'Provincial'],
  viewer: ['Chỉ xem', 'Viewer'],
};
const PROVINCE_SOURCE: Record<string, Entry> = {
  address: ['Địa chỉ', 'Address'],
  declared: ['Nơi gửi hàng khai báo', 'Declared location'],
  phone: ['Mã vùng điện thoại', 'Phone area code'],
  warehouse: ['Kho hàng', 'Warehouse'],
  overseas: ['Người bán nước ngoài → BCĐ 389 quốc gia', 'Overseas seller → national committee'],
  none: ['Không rõ nơi bán → BCĐ 389 quốc gia', 'No location → national committee'],
};

function pick(table: Record<string, Entry>, lang: Lang, value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const entry = table[value];
  return entry ? entry[lang === 'vi' ? 0 : 1] : value;
}

export const statusLabel = (lang: Lang, v: string | null | undefined) => pick(STATUS, lang, v);
export const kindLabel = (lang: Lang, v: string | null | undefined) => pick(KIND, lang, v);
export const addressQualityLabel = (lang: Lang, v: string | null | undefined) => pick(ADDRESS_QUALITY, lang, v);
export const eventLabel = (lang: Lang, v: string | null | undefined) => pick(EVENT, lang, v);
export const linkKindLabel = (lang: Lang, v: string | null | undefined) => pick(LINK_KIND, lang, v);
export const roleLabel = (lang: Lang, v: string | null | undefined) => pick(ROLE, lang, v);
export const provinceSourceLabel = (lang: Lang, v: string | null | undefined) => pick(PROVINCE_SOURCE, lang, v);
export const PROVINCE_SOURCES = Object.keys(PROVINCE_SOURCE);

/** Every label table, for the test that checks each has both languages. */
export const LABEL_TABLES = { T, STATUS, KIND, ADDRESS_QUALITY, EVENT, LINK_KIND, ROLE, PROVINCE_SOURCE };

const DATE_FORMATS: Record<Lang, Intl.DateTimeFormat> = {
  vi: new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'medium', timeStyle: 'short' }),
};

/** A date in Asia/Ho_Chi_Minh, written the way each language's readers expect. */
export function formatDate(lang: Lang, value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? '—' : DATE_FORMATS[lang].format(d);
}

const VND = new Intl.NumberFormat('vi-VN');
export function formatVnd(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${VND.format(value)} ₫`;
}
