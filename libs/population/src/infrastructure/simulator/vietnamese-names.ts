/**
 * Name material for realistic simulated citizens. Family-name weights follow the commonly
 * cited distribution (Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 %, …); given names are common
 * ones of each gender, all with their diacritics (NFC).
 */
export const FAMILY_NAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 4],
  ['Huỳnh', 3],
  ['Phan', 4.5],
  ['Vũ', 2.5],
  ['Võ', 2.5],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ['Trịnh', 0.5],
  ['Đinh', 0.5],
  ['Lâm', 0.4],
  ['Mai', 0.4],
];

export const MIDDLE_NAMES = {
  MALE: ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Công', 'Thành', 'Xuân', 'Quốc', 'Gia'],
  FEMALE: ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Mỹ', 'Bảo', 'Phương'],
} as const;

export const GIVEN_NAMES = {
  MALE: [
    'An',
    'Bình',
    'Cường',
    'Dũng',
    'Đạt',
    'Hải',
    'Hiếu',
    'Hoàng',
    'Hùng',
    'Huy',
    'Khang',
    'Khoa',
    'Khôi',
    'Long',
    'Minh',
    'Nam',
    'Nghĩa',
    'Phúc',
    'Quân',
    'Sơn',
    'Tài',
    'Thắng',
    'Thịnh',
    'Toàn',
    'Trung',
    'Tuấn',
    'Việt',
    'Vinh',
    'Vũ',
    'Đức',
  ],
  FEMALE: [
    'Anh',
    'Châu',
    'Chi',
    'Diệp',
    'Dung',
    'Giang',
    'Hà',
    'Hạnh',
    'Hằng',
    'Hiền',
    'Hoa',
    'Hồng',
    'Hương',
    'Lan',
    'Liên',
    'Linh',
    'Loan',
    'Mai',
    'My',
    'Nga',
    'Ngân',
    'Nhung',
    'Oanh',
    'Phượng',
    'Quỳnh',
    'Thảo',
    'Thủy',
    'Trang',
    'Uyên',
    'Yến',
  ],
} as const;

export const STREETS = [
  'Lê Lợi',
  'Trần Hưng Đạo',
  'Nguyễn Huệ',
  'Hai Bà Trưng',
  'Lý Thường Kiệt',
  'Phan Chu Trinh',
  'Hùng Vương',
  'Quang Trung',
  'Nguyễn Trãi',
  'Lê Duẩn',
  'Điện Biên Phủ',
  'Võ Thị Sáu',
  'Nguyễn Thị Minh Khai',
  'Cách Mạng Tháng Tám',
  'Bà Triệu',
  'Phan Đình Phùng',
];

export const ETHNICITIES: readonly (readonly [string, number])[] = [
  ['Kinh', 85],
  ['Tày', 2],
  ['Thái', 2],
  ['Mường', 1.5],
  ['Khmer', 1.4],
  ['Hoa', 1],
  ['Nùng', 1],
  ['Hmông', 1],
  ['Ê Đê', 0.4],
];

export const RELIGIONS: readonly (readonly [string | null, number])[] = [
  [null, 85],
  ['Phật giáo', 8],
  ['Công giáo', 6],
  ['Cao Đài', 1],
];

/** A small seeded PRNG (mulberry32): the same seed gives the same population. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class Picker {
  constructor(readonly random: () => number) {}

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  one<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.random() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  fullName(gender: 'MALE' | 'FEMALE', familyName = this.weighted(FAMILY_NAMES)): string {
    return `${familyName} ${this.one(MIDDLE_NAMES[gender])} ${this.one(GIVEN_NAMES[gender])}`;
  }
}
