import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { SCOPES } from '../../../domain/scopes.js';

export class CreateConnectionDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString() @Length(1, 200) name!: string;

  @ApiProperty({ enum: SCOPES, isArray: true, minItems: 1 })
  @IsArray() @ArrayMinSize(1) @IsIn(SCOPES, { each: true }) scopes!: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 100, description: 'IPv4/IPv6 CIDRs or addresses the connection may call from; empty: anywhere.', example: ['203.0.113.0/24'] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 64, { each: true })
  allowedCidrs?: string[];
}

export class MintTokenDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 3650, description: 'Absent: the token never expires.' })
  @IsOptional() @IsInt() @Min(1) @Max(3650) expiresInDays?: number;
}
